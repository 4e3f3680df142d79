// dashboard.mjs - the dashboard in Debian's headless Chromium, driven by
// playwright-core, against a running `sitewarden serve` that
// tests/integration/dashboard.sh prepared.  Every step names itself when
// it fails; screenshots of each page go to $SW_SHOTS.
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';

const env = (k) => {
  if (!process.env[k]) throw new Error(`${k} is not set (run through tests/integration/dashboard.sh)`);
  return process.env[k];
};
const URL0 = env('SW_URL');
const SHOTS = env('SW_SHOTS');
const { chromium } = await import(pathToFileURL(env('SW_PLAYWRIGHT')).href);
const CHROMIUM = '/usr/bin/chromium';
if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium`);

let step = '';
const problems = [];
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-proxy-server'],
  timeout: 60000,
});
const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
const page = await ctx.newPage();
page.setDefaultTimeout(15000);
page.on('pageerror', (e) => problems.push(`page error during "${step}": ${e.message}`));
// An API's 4xx (a refused password, a rejected import) is logged by the
// browser as a failed resource: expected, and checked by the steps.
page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console error during "${step}": ${m.text()}`); });
// Nothing may leave the loopback server: no CDN, no fonts from outside.
page.on('request', (r) => {
  const u = new URL(r.url());
  if (u.protocol.startsWith('http') && u.host !== new URL(URL0).host) problems.push(`request outside the server: ${r.url()}`);
});

function check(cond, what) { if (!cond) throw new Error(`${step}: ${what}`); }
async function shot(name) { await page.screenshot({ path: path.join(SHOTS, name + '.png'), fullPage: true }); }
async function run(name, fn) {
  step = name;
  process.stdout.write(`-- ${name}\n`);
  await fn();
}
// Waits until the page for the current hash has drawn (app.js sets
// <main data-ready> to the hash once the page's data and charts are in),
// then for the page's own marker element.  Bounded by the page timeout.
async function settle(sel) {
  await page.waitForFunction(() => { const m = document.querySelector('main'); return m && m.dataset.ready === location.hash; });
  if (!sel) return;
  // The page has drawn, so its element is there or the page shows why not.
  if (!await page.waitForSelector(sel, { state: 'visible', timeout: 5000 }).catch(() => null)) {
    const said = ((await page.textContent('main').catch(() => '')) || '').replace(/\s+/g, ' ').slice(0, 300);
    throw new Error(`${step}: ${sel} is not on the page, which says: ${said}`);
  }
}

// Whether a chart's canvas has drawn pixels (not all transparent/white).
async function canvasInk(sel) {
  return page.$eval(sel, (el) => {
    const c = el.querySelector('canvas');
    if (!c || !c.width || !c.height) return 0;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 0; i < d.length; i += 16) if (d[i + 3] > 0 && (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235)) ink++;
    return ink;
  });
}

try {
  await run('login page in Chinese by default', async () => {
    await page.goto(URL0 + '/');
    await settle('#login-name');
    check((await page.textContent('form.login h2')) === '登录', 'the sign-in form is not in Chinese');
    await shot('01-login');
  });

  await run('a wrong password is refused', async () => {
    await page.fill('#login-name', env('SW_USER'));
    await page.fill('#login-password', 'not-the-password');
    await page.click('#login-submit');
    await page.waitForFunction(() => document.querySelector('.form-error').textContent.length > 0);
  });

  await run('sign in and see the overview', async () => {
    await page.fill('#login-password', env('SW_PASS'));
    await page.click('#login-submit');
    await settle('#chart-trend canvas');
    for (const id of ['chart-status', 'chart-kind', 'chart-severity', 'chart-trend']) {
      const ink = await canvasInk('#' + id);
      check(ink > 50, `chart #${id} drew nothing (${ink} inked samples)`);
    }
    const total = await page.textContent('.kpi .kpi-val');
    check(total.trim() === '4', `the overview counts ${total} sites, expected 4`);
    await shot('02-overview');
  });

  await run('filter the site list', async () => {
    await page.click('nav.side a[data-nav="/sites"]');
    await settle('table.sites');
    const all = await page.$$eval('table.sites tbody a.site-link', (a) => a.length);
    check(all === 4, `the site list shows ${all} sites, expected 4`);
    await page.selectOption('#f-up', '0');
    await page.click('#f-apply');
    await page.waitForFunction(() => location.hash.includes('up=0'));
    await settle('table.sites');
    const names = await page.$$eval('table.sites tbody a.site-link', (a) => a.map((x) => x.textContent));
    check(names.length === 1 && names[0].includes('水务'), `the "down" filter shows ${JSON.stringify(names)}`);
    await page.click('button:has-text("重置")');
    await page.waitForFunction(() => location.hash === '#/sites');
    await settle('table.sites');
    await page.fill('#f-q', '统计');
    await page.click('#f-apply');
    await page.waitForFunction(() => location.hash.includes('q='));
    await settle('table.sites');
    const found = await page.$$eval('table.sites tbody a.site-link', (a) => a.map((x) => x.textContent));
    check(found.length === 1 && found[0].includes('统计局'), `the search shows ${JSON.stringify(found)}`);
    await shot('03-sites-filtered');
  });

  await run('open the defaced site: its finding and the diff against its baseline', async () => {
    await page.click('table.sites tbody a.site-link');
    await settle('#site-name');
    const kinds = await page.$$eval('#findings li.finding', (l) => l.map((x) => x.textContent));
    check(kinds.some((k) => k.includes('篡改')), `no defacement finding on the site page: ${JSON.stringify(kinds)}`);
    // Readable evidence: the kind's Chinese name, the facts, the snippet,
    // and the raw JSON folded away.
    const deface = await page.$$eval('#findings li.finding[data-check^="defacement."]', (l) => l.map((x) => ({
      title: x.querySelector('.f-title').textContent,
      facts: x.querySelectorAll('dl.evidence-facts dt').length,
      snippet: !!x.querySelector('.snippet pre.evidence'),
      raw: !!x.querySelector('details.raw:not([open]) pre'),
    })));
    check(deface.length > 0, 'no finding of a defacement check');
    check(deface.every((d) => /[\u4e00-\u9fff]/.test(d.title) && d.facts > 0 && d.raw), `a defacement finding is not shown readably: ${JSON.stringify(deface)}`);
    check(deface.some((d) => d.snippet), 'no defacement finding shows its page snippet');
    await page.waitForSelector('#diff-current');
    const added = await page.$$eval('#diff-current .dl.add', (l) => l.map((x) => x.textContent).join('\n'));
    check(added.length > 0, 'the diff marks no added lines on the defaced page');
    check(await canvasInk('#chart-rt') > 20, 'the response-time chart drew nothing');
    await shot('04-site-defaced');
  });

  await run('switch to English and back (remembered)', async () => {
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.querySelector('nav.side a[data-nav="/sites"]').textContent === 'Sites');
    check((await page.textContent('#lang-switch')) === '中文', 'the switch does not offer Chinese back');
    await shot('05-site-english');
    await page.reload();
    await page.waitForSelector('nav.side a[data-nav="/sites"]');
    check((await page.textContent('nav.side a[data-nav="/sites"]')) === 'Sites', 'English was not remembered');
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.querySelector('nav.side a[data-nav="/sites"]').textContent === '网站列表');
  });

  await run('acknowledge an alert', async () => {
    const st = await page.evaluate(async () => (await fetch('/api/alerts?state=open')).status);
    check(st === 200, `GET /api/alerts answered ${st}`);
    await page.goto(URL0 + '/#/alerts?state=open');
    await settle('table.grid');
    const btn = await page.$('button[data-act="ack"]');
    check(btn, 'no open alert to acknowledge (the defaced site should have raised one)');
    const id = await btn.evaluate((b) => b.closest('tr').dataset.alert);
    await btn.click();
    await page.fill('#act-note', '浏览器测试确认');
    await page.click('#act-ok');
    await page.waitForSelector('dialog.act', { state: 'detached' });
    await page.waitForFunction((i) => !document.querySelector(`tr[data-alert="${i}"] button[data-act="ack"]`), id);
    const state = await page.evaluate(async (i) => (await (await fetch('/api/alerts?state=acknowledged&limit=1000')).json()).items.some((a) => String(a.id) === i), id);
    check(state, `alert ${id} is not acknowledged on the server`);
    await shot('06-alerts');
  });

  await run('record a reporting-chain step of an incident', async () => {
    await page.goto(URL0 + '/#/incidents');
    await settle('table.incidents');
    const link = await page.$('table.incidents tbody a[href^="#/incidents/"]');
    check(link, 'no incident listed (the defacement should have opened one)');
    await link.click();
    await settle('#step-form');
    check(await page.$$eval('ol.chain li', (l) => l.length) >= 6, 'the reporting chain is not listed');
    await page.selectOption('#step-form select[name="step"]', 'reported_dept');
    await page.fill('#step-form input[name="note"]', '已电话报告主管部门');
    await page.click('#step-form button[type="submit"]');
    await page.waitForSelector('ol.chain li.done[data-step="reported_dept"]');
    check((await page.textContent('ol.chain li[data-step="reported_dept"]')).includes('已电话报告主管部门'), 'the step note is not shown');
    await shot('07-incident');
  });

  await run('import a CSV with an error and see the row named', async () => {
    await page.goto(URL0 + '/#/import');
    await settle('#imp-file');
    await page.setInputFiles('#imp-file', env('SW_BAD_CSV'));
    await page.click('#imp-submit');
    await page.waitForSelector('table.problems');
    const rows = await page.$$eval('table.problems tbody tr', (r) => r.map((x) => x.textContent));
    check(rows.some((r) => r.includes('第 2 行')), `the problems do not name row 2: ${JSON.stringify(rows)}`);
    await shot('08-import-error');
    const n = await page.evaluate(async () => (await (await fetch('/api/sites?limit=1')).json()).total);
    check(n === 4, `a rejected import changed the register (${n} sites)`);
  });

  await run('the statistics page', async () => {
    await page.goto(URL0 + '/#/stats');
    await settle('#stats-figures');
    const n = (await page.textContent('#st-sites .stat-big')).trim();
    check(n === '4', `the statistics count ${n} sites, expected 4`);
    const types = await page.$$eval('#stats-by-type table tbody tr', (r) => r.map((x) => x.textContent));
    check(types.length >= 2 && types.some((x) => x.includes('党政机关')), `the unit-type breakdown shows ${JSON.stringify(types)}`);
    const regions = await page.$$eval('#stats-by-region table tbody tr td a', (a) => a.length);
    check(regions >= 1, 'the region breakdown lists no region');
    await shot('09-stats');
  });

  await run('the users and audit pages', async () => {
    await page.goto(URL0 + '/#/users');
    await settle('table.grid');
    check((await page.textContent('main')).includes('auditor1'), 'the users page does not list auditor1');
    await page.goto(URL0 + '/#/audit');
    await settle('table.grid');
    await shot('10-audit');
  });

  await run('no untranslated strings and no stray requests', async () => {
    const missing = await page.evaluate(() => window.__swMissing);
    check(missing.length === 0, `strings missing from a dictionary: ${missing.join(', ')}`);
    check(problems.length === 0, problems.join('\n'));
  });
} catch (e) {
  await shot('failure-' + step.replace(/[^\w]+/g, '-')).catch(() => {});
  console.error(`FAIL: ${e.message}`);
  if (problems.length) console.error(problems.join('\n'));
  await browser.close();
  process.exit(1);
}
await browser.close();
console.log('browser: ok');
