// shots.mjs - screenshots of every dashboard page at 1366x768 for a person
// to look at (not a test: it checks nothing but that pages load).  Usage:
//   SW_URL=http://127.0.0.1:8080 SW_USER=admin SW_PASS=... SW_SHOTS=/tmp/shots \
//   node tests/browser/shots.mjs [lang]
// lang is zh-CN (default) or en.  Site, alert and incident pages are taken
// for the first few items the API lists.
import { pathToFileURL, fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';

const env = (k, d) => {
  const v = process.env[k] || d;
  if (!v) throw new Error(`${k} is not set`);
  return v;
};
const URL0 = env('SW_URL');
const SHOTS = env('SW_SHOTS');
const LANG = process.argv[2] || 'zh-CN';
const here = path.dirname(fileURLToPath(import.meta.url));
const pw = env('SW_PLAYWRIGHT', path.join(here, '../../web/node_modules/playwright-core/index.mjs'));
const { chromium } = await import(pathToFileURL(pw).href);
fs.mkdirSync(SHOTS, { recursive: true });

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-proxy-server'],
});
const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
await ctx.addInitScript((l) => localStorage.setItem('sitewarden.lang', l), LANG);
const page = await ctx.newPage();
page.setDefaultTimeout(15000);
page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
page.on('console', (m) => { if (m.type() === 'error') console.log(`console: ${m.text()}`); });

await page.goto(URL0 + '/#/login');
await page.waitForSelector('#login-name');
await page.screenshot({ path: path.join(SHOTS, 'login.png') });
await page.fill('#login-name', env('SW_USER'));
await page.fill('#login-password', env('SW_PASS'));
await page.click('#login-submit');
await page.waitForSelector('nav.side');

async function take(name, hash, full = true) {
  await page.goto(URL0 + '/#' + hash);
  await page.waitForSelector('main .page-head, main .error, main .empty');
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(200); // charts finish their first frame
  await page.screenshot({ path: path.join(SHOTS, name + '.png'), fullPage: full });
  console.log(`${name}.png  #${hash}`);
}
const api = (p) => page.evaluate(async (u) => { const r = await fetch(u); return r.ok ? r.json() : null; }, p);

await take('overview', '/');
await take('sites', '/sites');
const sites = (await api('/api/sites?limit=100')) || { items: [] };
for (const s of sites.items.filter((x) => x.state && (x.state.open_findings || x.state.up === false)).slice(0, 4)) {
  await take(`site-${s.id}`, `/sites/${s.id}`);
}
if (sites.items[0]) await take('site-edit', `/sites/${sites.items[0].id}/edit`);
await take('site-new', '/sites/new');
await take('alerts', '/alerts');
await take('incidents', '/incidents');
const inc = await api('/api/incidents?limit=3');
for (const i of (inc && inc.items) || []) await take(`incident-${i.id}`, `/incidents/${i.id}`);
await take('stats', '/stats');
await take('evidence', '/evidence');
await take('import', '/import');
await take('users', '/users');
await take('audit', '/audit');
await browser.close();
