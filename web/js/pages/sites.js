// Site list: search and filters kept in the URL, so a filtered view can be
// bookmarked and the back button works.
import { h, mount, select, fmtTime, fmtNum, fmtMs } from '../dom.js';
import { t, tv } from '../i18n.js';
import * as api from '../api.js';
import { go, session } from '../app.js';
import { table, pager, errorBox, upBadge } from '../ui.js';

const LIMIT = 50;
const opts = (group, vals) => vals.map((v) => [v, tv(group, v)]);
export const unitTypes = () => opts('unit_type', ['party_gov', 'institution', 'soe', 'telecom', 'other']);
export const siteStatuses = () => opts('site_status', ['planned', 'pre-launch', 'online', 'suspended', 'closed']);
export const severities = () => opts('severity', ['critical', 'high', 'medium', 'low', 'info']);
export const kinds = () => opts('kind', ['availability', 'tls', 'dns', 'redirect', 'defacement', 'trojan', 'darklink', 'sensitive', 'compliance', 'exposure', 'agent', 'analysis']);

const KEYS = ['q', 'region', 'unit_type', 'group', 'status', 'kind', 'severity', 'up'];

export async function render(main, { query }) {
  const f = Object.fromEntries(KEYS.map((k) => [k, query.get(k) || '']));
  const offset = Math.max(0, parseInt(query.get('offset') || '0', 10) || 0);
  const all = [['', t('filter.all')]];
  const ctl = {
    q: h('input#f-q', { type: 'search', value: f.q, placeholder: t('sites.search.ph') }),
    region: h('input#f-region', { type: 'text', value: f.region, placeholder: t('filter.region.ph'), size: 8 }),
    unit_type: select({ id: 'f-unit_type' }, [...all, ...unitTypes()], f.unit_type),
    group: h('input#f-group', { type: 'text', value: f.group, placeholder: t('filter.group.ph'), size: 8 }),
    status: select({ id: 'f-status' }, [...all, ...siteStatuses()], f.status),
    up: select({ id: 'f-up' }, [...all, ['1', t('state.up')], ['0', t('state.down')], ['unchecked', t('state.unknown')]], f.up),
    kind: select({ id: 'f-kind' }, [...all, ...kinds()], f.kind),
    severity: select({ id: 'f-severity' }, [...all, ...severities()], f.severity),
  };
  const apply = (off) => go('/sites', { ...Object.fromEntries(KEYS.map((k) => [k, ctl[k].value.trim()])), offset: off || '' });
  const lab = (k, el) => h('span.fl', h('label', { for: el.id }, t('filter.' + k)), el);
  mount(main,
    h('div.page-head', h('h2', t('nav.sites')),
      // Auditors read only (the server refuses their writes anyway).
      session.user && session.user.role !== 'auditor' && h('a.button', { href: '#/sites/new' }, t('sites.add'))),
    h('form.filters#site-filters', { onsubmit: (e) => { e.preventDefault(); apply(0); } },
      ctl.q, lab('region', ctl.region), lab('unit_type', ctl.unit_type), lab('group', ctl.group),
      lab('status', ctl.status), lab('up', ctl.up), lab('kind', ctl.kind), lab('severity', ctl.severity),
      h('button.primary#f-apply', { type: 'submit' }, t('common.search')),
      h('button', { type: 'button', onclick: () => go('/sites') }, t('common.reset'))));
  let r;
  try {
    r = await api.get('/api/sites', { ...f, limit: LIMIT, offset });
  } catch (e) { main.appendChild(errorBox(e)); return; }
  main.appendChild(table([
    ['col.site', (s) => h('a.site-link', { href: '#/sites/' + s.id }, s.name)],
    ['col.url', (s) => h('span.mono', s.url)],
    ['col.unit', (s) => s.unit_name || s.unit || '—'],
    ['col.status', (s) => tv('site_status', s.status)],
    ['col.up', (s) => upBadge(s.state)],
    ['col.last_ms', (s) => (s.state && s.state.up ? fmtMs(s.state.last_ms) : '—')],
    ['col.open_findings', (s) => {
      const n = s.state ? s.state.open_findings : 0;
      return n ? h('span.count.warn', fmtNum(n)) : '0';
    }],
    ['col.checked_at', (s) => fmtTime(s.state && s.state.checked_at)],
  ], r.items || [], { cls: 'sites', empty: t('sites.none') }));
  main.appendChild(pager(r.total || 0, r.limit || LIMIT, r.offset || 0, (off) => apply(off)));
}
