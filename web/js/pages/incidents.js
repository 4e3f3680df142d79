// Incidents: the list, one incident with its reporting-chain steps and
// alerts, adding a step, closing it, and its evidence export.
import { h, mount, select, fmtTime } from '../dom.js';
import { t, tv } from '../i18n.js';
import * as api from '../api.js';
import { go, session } from '../app.js';
import { table, card, errorBox, field, input, showErrors, toast, sevBadge } from '../ui.js';

const STEPS = ['discovered', 'reported_unit', 'reported_dept', 'reported_cyberspace', 'reported_police', 'contained', 'recovered', 'reviewed'];

export async function render(main, { params, query }) {
  if (params.id) return detail(main, params.id);
  const state = query.get('state') || '';
  const sel = select({ id: 'i-state', onchange: () => go('/incidents', { state: sel.value }) },
    [['', t('filter.all')], ...['open', 'closed'].map((s) => [s, tv('incident_state', s)])], state);
  mount(main, h('div.page-head', h('h2', t('nav.incidents')), h('label', t('filter.state')), sel));
  let r;
  try { r = await api.get('/api/incidents', { state }); } catch (e) {
    main.appendChild(e.status === 404 ? h('div.empty', t('alerts.unavailable')) : errorBox(e));
    return;
  }
  main.appendChild(table([
    ['col.id', (i) => h('a', { href: '#/incidents/' + i.id }, '#' + i.id)],
    ['col.title', (i) => i.title || ''],
    ['col.site', (i) => (i.site_id ? h('a', { href: '#/sites/' + i.site_id }, i.site_name || String(i.site_id)) : '—')],
    ['col.severity', (i) => sevBadge(i.severity)],
    ['col.state', (i) => tv('incident_state', i.state)],
    ['col.step', (i) => tv('step', i.step || i.last_step)],
    ['col.opened_at', (i) => fmtTime(i.opened_at || i.created_at)],
  ], r.items || []));
  if (session.user.role !== 'auditor') main.appendChild(card('inc.new', newForm()));
}

function newForm() {
  const form = h('form.edit', {
    onsubmit: async (ev) => {
      ev.preventDefault();
      const body = { title: form.elements.title.value.trim() };
      const site = form.elements.site.value.trim();
      if (site) body.site = /^\d+$/.test(site) ? Number(site) : site;
      if (form.elements.severity.value) body.severity = form.elements.severity.value;
      try { const r = await api.post('/api/incidents', body); go('/incidents/' + r.id); } catch (e) { showErrors(form, e); }
    },
  },
  h('div.form-grid', field('title', 'col.title', input('')), field('site', 'col.site', input('')),
    field('severity', 'col.severity', select({}, [['', '—'], ...['critical', 'high', 'medium', 'low'].map((s) => [s, tv('severity', s)])], ''))),
  h('div.form-error'), h('div.actions', h('button.primary', { type: 'submit' }, t('inc.create'))));
  return form;
}

async function detail(main, id) {
  let i;
  try { i = await api.get('/api/incidents/' + encodeURIComponent(id)); } catch (e) { mount(main, errorBox(e)); return; }
  const reload = () => detail(main, id);
  const write = session.user.role !== 'auditor';
  mount(main,
    h('div.page-head', h('h2', '#' + i.id + ' ', i.title || ''), h('span.badge', tv('incident_state', i.state)),
      h('div.actions', h('a.button#evidence-export', { href: `/api/incidents/${i.id}/evidence`, download: '' }, t('ev.export')))),
    h('div.grid2',
      card('inc.steps', h('ol.steps', (i.steps || []).map((s) => h('li',
        h('div.step-head', h('strong', tv('step', s.step)), ' · ', fmtTime(s.at || s.created_at), s.by ? ' · ' + s.by : ''),
        s.note ? h('div.step-note', s.note) : null))),
      write && i.state !== 'closed' ? stepForm(i, reload) : null),
      card('inc.alerts', table([
        ['col.severity', (a) => sevBadge(a.severity)],
        ['col.kind', (a) => tv('kind', a.kind)],
        ['col.title', (a) => a.title || ''],
        ['col.last_seen', (a) => fmtTime(a.last_seen)],
      ], i.alerts || []))),
    write && i.state !== 'closed' ? card('inc.close', closeForm(i, reload)) : null,
    i.state === 'closed' ? card('inc.closed', h('dl.facts',
      ['cause', 'fix', 'accountability'].map((k) => [h('dt', t('inc.' + k)), h('dd', i[k] || '—')]))) : null);
}

function stepForm(i, reload) {
  const form = h('form.edit.inline', {
    onsubmit: async (ev) => {
      ev.preventDefault();
      try {
        await api.post(`/api/incidents/${i.id}/steps`, { step: form.elements.step.value, note: form.elements.note.value.trim() });
        toast(t('common.saved')); reload();
      } catch (e) { showErrors(form, e); }
    },
  },
  field('step', 'inc.step', select({}, STEPS.map((s) => [s, tv('step', s)]), '')),
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
