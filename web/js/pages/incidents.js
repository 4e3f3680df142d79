// Incidents: the list, one incident with its reporting chain (which steps
// are recorded, when and by whom, which are still to do) and its alerts,
// recording a step, closing it, and its evidence export.
import { h, mount, select, fmtTime } from '../dom.js';
import { t, tv } from '../i18n.js';
import * as api from '../api.js';
import { go, session } from '../app.js';
import { table, card, errorBox, field, input, showErrors, toast, sevBadge } from '../ui.js';
import { alertName } from './alerts.js';

// The reporting chain in its order (src/incident/incident.c); "closed" is
// recorded by the close form, with cause, fix and accountability.
const STEPS = ['reported_dept', 'plan_started', 'reported_psb', 'recovered', 'escalated_cac'];

export async function render(main, { params, query }) {
  if (params.id) return detail(main, params.id);
  const state = query.get('state') || '';
  const sel = select({ id: 'i-state', onchange: () => go('/incidents', { state: sel.value }) },
    [['', t('filter.all')], ...['open', 'closed'].map((s) => [s, tv('incident_state', s)])], state);
  mount(main, h('div.page-head', h('h2', t('nav.incidents')), h('label', t('filter.state')), sel));
  let r;
  try { r = await api.get('/api/incidents', { state, limit: 200 }); } catch (e) {
    main.appendChild(e.status === 404 ? h('div.empty', t('alerts.unavailable')) : errorBox(e));
    return;
  }
  main.appendChild(card(null, table([
    ['col.id', (i) => h('a', { href: '#/incidents/' + i.id }, '#' + i.id)],
    ['col.title', (i) => h('a', { href: '#/incidents/' + i.id }, i.title || '')],
    ['col.site', (i) => (i.site_id ? h('a', { href: '#/sites/' + i.site_id }, i.site_name || String(i.site_id)) : '—')],
    ['col.severity', (i) => [sevBadge(i.severity), i.major ? h('span.badge.major', t('inc.major')) : null]],
    ['col.state', (i) => tv('incident_state', i.state)],
    ['inc.source', (i) => tv('inc.source', i.source)],
    ['col.opened_at', (i) => fmtTime(i.opened_at)],
    ['inc.closed_at', (i) => fmtTime(i.closed_at)],
  ], r.items || [], { empty: t('inc.none'), cls: 'incidents' })));
  if (session.user.role !== 'auditor') main.appendChild(card('inc.new', await newForm()));
}

async function newForm() {
  let sites = [];
  try { sites = (await api.get('/api/sites', { limit: 1000 })).items || []; } catch { /* the form still shows */ }
  const form = h('form.edit', {
    onsubmit: async (ev) => {
      ev.preventDefault();
      const body = { title: form.elements.title.value.trim() };
      if (form.elements.site_id.value) body.site_id = Number(form.elements.site_id.value);
      if (form.elements.severity.value) body.severity = form.elements.severity.value;
      try { const r = await api.post('/api/incidents', body); go('/incidents/' + r.id); } catch (e) { showErrors(form, e); }
    },
  },
  h('div.form-grid', field('title', 'col.title', input('')),
    field('site_id', 'col.site', select({}, [['', '—'], ...sites.map((s) => [s.id, s.name])], '')),
    field('severity', 'col.severity', select({}, ['critical', 'high', 'medium', 'low'].map((s) => [s, tv('severity', s)]), 'high'))),
  h('div.form-error'), h('div.actions', h('button.primary', { type: 'submit' }, t('inc.create'))));
  return form;
}

async function detail(main, id) {
  let i;
  try { i = await api.get('/api/incidents/' + encodeURIComponent(id)); } catch (e) { mount(main, errorBox(e)); return; }
  const reload = () => detail(main, id);
  const write = session.user.role !== 'auditor';
  const done = new Map((i.steps || []).map((s) => [s.step, s]));
  const chain = [...STEPS, 'closed'].map((k) => {
    const s = done.get(k);
    return h('li' + (s ? '.done' : '.todo'), { 'data-step': k },
      h('div.step-head', h('strong', tv('step', k)), ' · ',
        s ? [fmtTime(s.at), s.actor ? ' · ' + s.actor : ''] : h('span.sub', t('inc.step_todo'))),
      s && s.note ? h('div.step-note', s.note) : null);
  });
  // Steps outside the known chain (a later version's) still show.
  const extra = (i.steps || []).filter((s) => ![...STEPS, 'closed'].includes(s.step)).map((s) =>
    h('li.done', h('div.step-head', h('strong', tv('step', s.step)), ' · ', fmtTime(s.at), s.actor ? ' · ' + s.actor : ''),
      s.note ? h('div.step-note', s.note) : null));
  mount(main,
    h('div.page-head', h('h2', '#' + i.id + ' ', i.title || ''), h('span.badge', tv('incident_state', i.state)),
      i.major ? h('span.badge.major', t('inc.major')) : null,
      h('div.actions', h('a.button#evidence-export', { href: `/api/incidents/${i.id}/evidence`, download: '' }, t('ev.export')))),
    h('dl.facts.inc-facts',
      h('dt', t('col.site')), h('dd', h('a', { href: '#/sites/' + i.site_id }, i.site_name || String(i.site_id))),
      h('dt', t('col.severity')), h('dd', sevBadge(i.severity)),
      h('dt', t('col.opened_at')), h('dd', fmtTime(i.opened_at), i.opened_by ? ' · ' + i.opened_by : ''),
      h('dt', t('inc.source')), h('dd', tv('inc.source', i.source))),
    h('div.grid2',
      card('inc.steps', h('ol.steps.chain', chain, extra),
        write && i.state !== 'closed' ? stepForm(i, done, reload) : null),
      card('inc.alerts', table([
        ['col.severity', (a) => sevBadge(a.severity)],
        ['col.problem', (a) => h('span', { title: a.title || '' }, alertName(a))],
        ['col.state', (a) => tv('alert_state', a.state)],
        ['col.last_seen', (a) => fmtTime(a.last_seen)],
      ], i.alerts || []))),
    write && i.state !== 'closed' ? card('inc.close', closeForm(i, reload)) : null,
    i.state === 'closed' ? card('inc.closed', h('dl.facts',
      h('dt', t('inc.closed_at')), h('dd', fmtTime(i.closed_at)),
      ['cause', 'fix', 'accountability'].map((k) => [h('dt', t('inc.' + k)), h('dd', i[k] || '—')]))) : null);
}

function stepForm(i, done, reload) {
  const next = STEPS.find((k) => !done.has(k)) || STEPS[0];
  const form = h('form.edit.inline#step-form', {
    onsubmit: async (ev) => {
      ev.preventDefault();
      const body = { step: form.elements.step.value };
      if (form.elements.note.value.trim()) body.note = form.elements.note.value.trim();
      try {
        await api.post(`/api/incidents/${i.id}/steps`, body);
        toast(t('common.saved')); reload();
      } catch (e) { showErrors(form, e); }
    },
  },
  field('step', 'inc.step', select({}, STEPS.map((s) => [s, tv('step', s)]), next)),
  field('note', 'alerts.note', input('')), h('div.form-error'),
  h('button.primary', { type: 'submit' }, t('inc.add_step')));
  return form;
}

function closeForm(i, reload) {
  const form = h('form.edit', {
    onsubmit: async (ev) => {
      ev.preventDefault();
      const body = {};
      for (const k of ['cause', 'fix', 'accountability']) body[k] = form.elements[k].value.trim();
      try { await api.post(`/api/incidents/${i.id}/close`, body); toast(t('common.saved')); reload(); } catch (e) { showErrors(form, e); }
    },
  },
  h('div.form-grid', ['cause', 'fix', 'accountability'].map((k) => field(k, 'inc.' + k, h('textarea', { rows: 2 })))),
  h('div.form-error'), h('div.actions', h('button.primary', { type: 'submit' }, t('inc.close_btn'))));
  return form;
}
