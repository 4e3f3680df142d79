// Alerts: the list with filters, and acknowledge / resolve / suppress.
import { h, mount, select, fmtTime, fmtNum } from '../dom.js';
import { t, tv, lang } from '../i18n.js';
import * as api from '../api.js';
import { go, session } from '../app.js';
import { table, pager, errorBox, sevBadge, toast } from '../ui.js';
import { kinds, severities } from './sites.js';

const STATES = ['active', 'open', 'acknowledged', 'suppressed', 'resolved'];
const LIMIT = 50;

// The note (and for suppress, the end time) dialog, then the POST.
function act(a, verb, done) {
  const note = h('textarea#act-note', { rows: 3 });
  const until = h('input#act-until', { type: 'datetime-local' });
  const err = h('div.form-error', { role: 'alert' });
  const dlg = h('dialog.act',
    h('form', {
      method: 'dialog',
      onsubmit: async (ev) => {
        ev.preventDefault();
        const body = {};
        if (note.value.trim()) body.note = note.value.trim();
        // The API takes the end of a suppression as Unix seconds.
        if (verb === 'suppress' && until.value) body.until = Math.floor(new Date(until.value).getTime() / 1000);
        try {
          await api.post(`/api/alerts/${a.id}/${verb}`, body);
          dlg.close(); dlg.remove(); toast(t('alerts.done.' + verb)); done();
        } catch (e) { err.textContent = e.message; }
      },
    },
    h('h3', t('alerts.' + verb), ' · ', alertName(a)),
    h('p.sub', a.site_name || '', ' · ', a.title || ''),
    h('label', { for: 'act-note' }, t('alerts.note')), note,
    verb === 'suppress' ? [h('label', { for: 'act-until' }, t('alerts.until')), until] : null,
    err,
    h('div.actions', h('button.primary#act-ok', { type: 'submit' }, t('common.confirm')),
      h('button', { type: 'button', onclick: () => { dlg.close(); dlg.remove(); } }, t('common.cancel')))));
  document.body.appendChild(dlg);
  dlg.showModal();
}

// The alert's name: the kind's Chinese label in Chinese, the check's own
// title in English.
export function alertName(a) {
  return lang() === 'zh-CN' && a.label ? a.label : (a.title || a.label || a.kind);
}

// What tells alerts of one kind on one site apart (the link, script or
// filing number the evidence names), one short line.
export function evidenceHint(a) {
  const ev = a.evidence && typeof a.evidence === 'object' ? a.evidence : null;
  const v = ev && (ev.target || ev.domain || ev.url);
  if (!v) return null;
  const s = String(v);
  return h('div.sub.small.mono.clip', { title: s }, s.length > 60 ? s.slice(0, 57) + '…' : s);
}

export async function render(main, { query }) {
  const f = { state: query.get('state') ?? 'active', site: query.get('site') || '', kind: query.get('kind') || '', severity: query.get('severity') || '' };
  const offset = Math.max(0, parseInt(query.get('offset') || '0', 10) || 0);
  const all = [['', t('filter.all')]];
  const st = select({ id: 'a-state' }, [...all, ...STATES.map((s) => [s, tv('alert_state', s)])], f.state);
  const kd = select({ id: 'a-kind' }, [...all, ...kinds()], f.kind);
  const sv = select({ id: 'a-severity' }, [...all, ...severities()], f.severity);
  const apply = (off) => go('/alerts', { state: st.value, site: f.site, kind: kd.value, severity: sv.value, offset: off || '' });
  mount(main, h('div.page-head', h('h2', t('nav.alerts'))),
    h('form.filters', { onsubmit: (e) => { e.preventDefault(); apply(0); } },
      h('label', t('filter.state')), st, h('label', t('filter.kind')), kd, h('label', t('filter.severity')), sv,
      f.site && h('span.chip', t('alerts.site_only', { id: f.site }), h('a', { href: '#/alerts' }, ' ×')),
      h('button.primary', { type: 'submit' }, t('common.apply'))));
  let r;
  try { r = await api.get('/api/alerts', { ...f, limit: LIMIT, offset }); } catch (e) {
    main.appendChild(e.status === 404 ? h('div.empty', t('alerts.unavailable')) : errorBox(e));
    return;
  }
  const canAct = session.user && session.user.role !== 'auditor';
  const reload = () => render(main, { query });
  main.appendChild(table([
    ['col.severity', (a) => sevBadge(a.severity)],
    ['col.site', (a) => h('a', { href: '#/sites/' + a.site_id }, a.site_name || String(a.site_id))],
    ['col.kind', (a) => tv('kind', String(a.kind || '').split('.')[0])],
    ['col.problem', (a) => [h('span', { title: a.title || '' }, alertName(a)), evidenceHint(a)]],
    ['col.state', (a) => h('span.astate.' + a.state, tv('alert_state', a.state),
      a.state_by && a.state !== 'open' ? h('div.sub.small', a.state_by, a.note ? '：' + a.note : '') : null)],
    ['col.count', (a) => fmtNum(a.count)],
    ['col.first_seen', (a) => fmtTime(a.first_seen)],
    ['col.last_seen', (a) => fmtTime(a.last_seen)],
    ['col.actions', (a) => canAct && a.state !== 'resolved' ? h('span.row-actions',
      a.state === 'open' ? h('button.small', { 'data-act': 'ack', onclick: () => act(a, 'ack', reload) }, t('alerts.ack')) : null,
      h('button.small', { 'data-act': 'resolve', onclick: () => act(a, 'resolve', reload) }, t('alerts.resolve')),
      a.state !== 'suppressed' ? h('button.small', { 'data-act': 'suppress', onclick: () => act(a, 'suppress', reload) }, t('alerts.suppress')) : null) : ''],
  ], r.items || [], { rowAttrs: (a) => ({ 'data-alert': a.id }), empty: t('alerts.none'), cls: 'alerts' }));
  main.appendChild(pager(r.total || 0, r.limit || LIMIT, r.offset || 0, apply));
}
