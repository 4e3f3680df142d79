// The audit log (administrators and auditors): who changed what, when and
// from where, newest first.  The server records the request (method and
// path); the page names the action in words and keeps the request itself
// as a tooltip, so an auditor reads "确认告警 #12" rather than a URL.
import { h, mount, fmtTime } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { go } from '../app.js';
import { table, pager, errorBox, card } from '../ui.js';

const LIMIT = 100;

// [method, path pattern, action key]; the first match names the action,
// {id} (the first number in the path) goes into the text.
const ACTIONS = [
  ['POST', /^\/api\/login$/, 'login'], ['POST', /^\/api\/logout$/, 'logout'],
  ['POST', /^\/api\/users$/, 'user_add'], ['PATCH', /^\/api\/users\/\d+$/, 'user_edit'],
  ['POST', /^\/api\/users\/\d+\/password$/, 'user_passwd'], ['POST', /^\/api\/tokens$/, 'token_add'],
  ['POST', /^\/api\/sites$/, 'site_add'], ['PUT', /^\/api\/sites\/\d+$/, 'site_edit'], ['DELETE', /^\/api\/sites\/\d+$/, 'site_del'],
  ['POST', /^\/api\/(units|depts|groups|persons)$/, 'reg_add'], ['PUT', /^\/api\/(units|depts|groups|persons)\/\d+$/, 'reg_edit'],
  ['DELETE', /^\/api\/(units|depts|groups|persons)\/\d+$/, 'reg_del'],
  ['POST', /^\/api\/import$/, 'import'],
  ['POST', /^\/api\/alerts\/\d+\/ack$/, 'alert_ack'], ['POST', /^\/api\/alerts\/\d+\/resolve$/, 'alert_resolve'],
  ['POST', /^\/api\/alerts\/\d+\/suppress$/, 'alert_suppress'],
  ['POST', /^\/api\/incidents$/, 'incident_add'], ['POST', /^\/api\/incidents\/\d+\/steps$/, 'incident_step'],
  ['POST', /^\/api\/incidents\/\d+\/close$/, 'incident_close'],
  ['POST', /^\/api\/evidence\/verify$/, 'evidence_verify'],
];

function action(a) {
  const path = a.path || '';
  for (const [m, re, key] of ACTIONS) {
    if (m === a.method && re.test(path)) {
      const id = (/\/(\d+)(\/|$)/.exec(path) || [])[1];
      return t('audit.act.' + key, { id: id || '' });
    }
  }
  return `${a.method || ''} ${path}`.trim();
}

export async function render(main, { query }) {
  const offset = Math.max(0, parseInt(query.get('offset') || '0', 10) || 0);
  mount(main, h('div.page-head', h('h2', t('nav.audit'))));
  let r;
  try { r = await api.get('/api/audit', { limit: LIMIT, offset }); } catch (e) { main.appendChild(errorBox(e)); return; }
  const show = (v) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  main.appendChild(card(null, table([
    ['audit.at', (a) => fmtTime(a.at)],
    ['audit.who', (a) => show(a.user) || '—'],
    ['audit.action', (a) => h('span', { title: `${a.method || ''} ${a.path || ''}` }, action(a))],
    ['audit.target', (a) => show(a.target) || '—'],
    ['audit.from', (a) => h('span.mono', show(a.remote))],
    ['audit.result', (a) => (a.status >= 200 && a.status < 400
      ? t('audit.ok')
      : h('span.audit-fail', t('audit.failed', { s: a.status })))],
  ], r.items || [], { cls: 'compact' })));
  main.appendChild(pager(r.total || 0, r.limit || LIMIT, r.offset || 0, (off) => go('/audit', { offset: off })));
}
