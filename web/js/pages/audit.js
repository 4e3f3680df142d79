// The audit log (administrators and auditors): who changed what, when and
// from where, newest first.
import { h, mount, fmtTime } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { go } from '../app.js';
import { table, pager, errorBox, card } from '../ui.js';

const LIMIT = 100;

export async function render(main, { query }) {
  const offset = Math.max(0, parseInt(query.get('offset') || '0', 10) || 0);
  mount(main, h('div.page-head', h('h2', t('nav.audit'))));
  let r;
  try { r = await api.get('/api/audit', { limit: LIMIT, offset }); } catch (e) { main.appendChild(errorBox(e)); return; }
  const show = (v) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  main.appendChild(card(null, table([
    ['audit.at', (a) => fmtTime(a.at || a.created_at)],
    ['audit.who', (a) => show(a.actor || a.user || a.user_name)],
    ['audit.action', (a) => show(a.action || `${a.method || ''} ${a.path || ''}`)],
    ['audit.target', (a) => show(a.target || a.object)],
    ['audit.from', (a) => show(a.remote || a.ip)],
    ['audit.detail', (a) => h('span.mono.clip', show(a.detail || a.status))],
  ], r.items || [], { cls: 'compact' })));
  main.appendChild(pager(r.total || 0, r.limit || LIMIT, r.offset || 0, (off) => go('/audit', { offset: off })));
}
