// app.js - the dashboard's shell: who is signed in, the header and side
// navigation, the language switch and a hash router ("#/sites/12") that
// hands each page a fresh main area.
import { h, mount } from './dom.js';
import { t, lang, setLang, onLang } from './i18n.js';
import * as api from './api.js';
import { sweep } from './charts.js';
import * as login from './pages/login.js';
import * as overview from './pages/overview.js';
import * as sites from './pages/sites.js';
import * as site from './pages/site.js';
import * as edit from './pages/edit.js';
import * as alerts from './pages/alerts.js';
import * as incidents from './pages/incidents.js';
import * as evidence from './pages/evidence.js';
import * as importPage from './pages/import.js';
import * as users from './pages/users.js';
import * as audit from './pages/audit.js';
import * as stats from './pages/stats.js';

export const session = { user: null };

// Routes: pattern (segments, ":x" captures), page module, nav key, roles
// that see it in the navigation (null: everyone).
const routes = [
  ['/', overview, 'nav.overview', null],
  ['/sites', sites, 'nav.sites', null],
  ['/sites/new', edit, null, null],
  ['/sites/:id', site, null, null],
  ['/sites/:id/edit', edit, null, null],
  ['/stats', stats, 'nav.stats', null],
  ['/alerts', alerts, 'nav.alerts', null],
  ['/incidents', incidents, 'nav.incidents', null],
  ['/incidents/:id', incidents, null, null],
  ['/evidence', evidence, 'nav.evidence', null],
  ['/import', importPage, 'nav.import', ['admin', 'supervisor', 'operator']],
  ['/users', users, 'nav.users', ['admin']],
  ['/audit', audit, 'nav.audit', ['admin', 'auditor']],
];

// The current route: {path, params (captures), query (URLSearchParams)}.
export function current() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, q] = raw.split('?');
  return { path, query: new URLSearchParams(q || '') };
}

// Goes to path with the given query object (empty values dropped).
export function go(path, query) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) if (v !== '' && v != null) u.set(k, v);
  const s = u.toString();
  location.hash = '#' + path + (s ? '?' + s : '');
}

function match(path) {
  const segs = path.split('/').filter(Boolean);
  for (const [pat, mod, , roles] of routes) {
    const ps = pat.split('/').filter(Boolean);
    if (ps.length !== segs.length) continue;
    const params = {};
    if (ps.every((p, i) => (p[0] === ':' ? ((params[p.slice(1)] = decodeURIComponent(segs[i])), true) : p === segs[i]))) {
      return { mod, params, roles };
    }
  }
  return null;
}

function header() {
  const u = session.user;
  return h('header.top',
    h('div.brand', h('span.logo', '◆'), h('span', t('app.title'))),
    h('div.top-right',
      h('button.link#lang-switch', { onclick: () => setLang(lang() === 'zh-CN' ? 'en' : 'zh-CN'), title: t('lang.switch') },
        lang() === 'zh-CN' ? 'English' : '中文'),
      u && h('span.who', `${u.name} · ${t('role.' + u.role)}`),
      u && h('button.link#logout', {
        onclick: async () => {
          try { await api.post('/api/logout'); } catch { /* signed out anyway */ }
          session.user = null; api.setCsrf(''); go('/login');
        },
      }, t('nav.logout'))));
}

function nav(active) {
  const role = session.user && session.user.role;
  return h('nav.side', routes.filter(([, , key, roles]) => key && (!roles || roles.includes(role)))
    .map(([pat, , key]) => h('a' + (active === pat ? '.active' : ''), { href: '#' + pat, 'data-nav': pat }, t(key))));
}

// Shows the page for the current hash.
export async function render() {
  sweep();
  const app = document.getElementById('app');
  const { path, query } = current();
  document.documentElement.lang = lang();
  document.title = t('app.title');
  // data-ready on <main> names the hash whose page finished drawing (data
  // and charts): the browser tests wait for it instead of sleeping.
  const hash = location.hash;
  if (path === '/login' || !session.user) {
    if (!session.user) {
      try {
        const me = await api.get('/api/me');
        session.user = me; api.setCsrf(me.csrf);
      } catch { /* not signed in */ }
    }
    if (!session.user || path === '/login') {
      if (session.user) { go('/'); return; }
      const lm = h('main.login-wrap#main');
      mount(app, header(), lm);
      login.render(lm, { query });
      lm.dataset.ready = hash;
      return;
    }
  }
  const m = match(path);
  const main = h('main.content#main');
  const top = '/' + (path.split('/').filter(Boolean)[0] || '');
  mount(app, header(), h('div.body', nav(top), main));
  if (!m || (m.roles && !m.roles.includes(session.user.role))) {
    mount(main, h('div.empty', t('page.notfound')));
    main.dataset.ready = hash;
    return;
  }
  try {
    await m.mod.render(main, { path, params: m.params, query });
  } catch (e) {
    main.appendChild(h('div.error', e.message || String(e)));
  }
  main.dataset.ready = hash;
}

api.setOnUnauthorized(() => { session.user = null; if (current().path !== '/login') go('/login'); });
onLang(render);
window.addEventListener('hashchange', render);
render();
