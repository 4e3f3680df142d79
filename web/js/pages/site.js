// One site: its register facts, latest state, response times, check
// history, TLS and DNS facts, open findings with evidence, and the
// side-by-side diff of the current page against its baseline.
import { h, mount, fmtTime, fmtNum, fmtMs } from '../dom.js';
import { t, tv, lang } from '../i18n.js';
import * as api from '../api.js';
import { chart } from '../charts.js';
import { session } from '../app.js';
import { table, card, errorBox, sevBadge, upBadge } from '../ui.js';

const FACTS = ['url', 'unit_name', 'group', 'status', 'hosting', 'domains', 'ips', 'icp', 'psb', 'gov_code',
  'launch_date', 'review_state', 'mlps_grade', 'mlps_next_due'];

function factValue(s, k) {
  const v = s[k];
  if (v === null || v === undefined || v === '') return '—';
  if (Array.isArray(v)) return v.join('; ');
  if (k === 'status') return tv('site_status', v);
  if (k === 'review_state') return tv('review_state', v);
  if (k === 'hosting') return tv('hosting', v);
  if (k === 'group' && s.group_name) return s.group_name;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export async function render(main, { params }) {
  const id = params.id;
  let s;
  try {
    s = await api.get('/api/sites/' + encodeURIComponent(id));
  } catch (e) { mount(main, errorBox(e)); return; }
  const st = s.state || {};
  // Why a down site is down: the error of its newest check (one small
  // call, so the state card can say it at once).
  let newestErr = '';
  if (st.up === false && st.last_check_id) {
    try { const c = await api.get('/api/checks/' + st.last_check_id); newestErr = c.err ? fetchErr(c.err) : (c.status ? 'HTTP ' + c.status : ''); } catch { /* the card shows the rest */ }
  }
  mount(main,
    h('div.page-head', h('h2#site-name', s.name), upBadge(st),
      h('div.actions', session.user && session.user.role !== 'auditor' && h('a.button', { href: '#/sites/' + s.id + '/edit' }, t('common.edit')),
        h('a.button', { href: '#/alerts?site=' + s.id }, t('nav.alerts')))),
    h('div.grid2',
      card('site.register', h('dl.facts', FACTS.map((k) => [h('dt', t('field.' + k)), h('dd', factValue(s, k))]),
        (s.persons || []).length ? [h('dt', t('site.persons')), h('dd', s.persons.map((p) => `${p.name}（${tv('person_role', p.role)}）`).join('、'))] : null)),
      card('site.state', h('dl.facts',
        h('dt', t('col.up')), h('dd', upBadge(st)),
        h('dt', t('site.since')), h('dd', fmtTime(st.since)),
        h('dt', t('col.checked_at')), h('dd', fmtTime(st.checked_at)),
        h('dt', t('site.last_status')), h('dd', st.last_status || '—'),
        st.up === false && newestErr ? [h('dt', t('site.reason')), h('dd.error#site-reason', newestErr)] : null,
        h('dt', t('col.last_ms')), h('dd', st.up ? fmtMs(st.last_ms) : '—'),
        h('dt', t('col.open_findings')), h('dd', fmtNum(st.open_findings || 0))),
        h('h4', t('site.tls_dns')), h('dl.facts#tls-dns', h('dd', '…')))));

  const rt = h('div.chart.wide#chart-rt');
  const hist = h('div#checks');
  const finds = h('div#findings');
  const diff = h('div#diff');
  main.append(card('site.response_times', rt), card('site.findings', finds), card('site.diff', diff), card('site.checks', hist));

  const [checks, latest, d] = await Promise.allSettled([
    api.get(`/api/sites/${s.id}/checks`, { limit: 100 }),
    st.last_check_id ? api.get('/api/checks/' + st.last_check_id) : Promise.resolve(null),
    api.get(`/api/sites/${s.id}/diff`),
  ]);
  const items = checks.status === 'fulfilled' ? (checks.value.items || []) : [];
  if (checks.status === 'rejected') mount(hist, errorBox(checks.reason));
  else mount(hist, table([
    ['col.checked_at', (c) => fmtTime(c.checked_at)],
    ['col.http_status', (c) => c.status || '—'],
    ['col.err', (c) => (c.err ? h('span.error', fetchErr(c.err)) : '')],
    ['col.total_ms', (c) => ms(c, 'total_ms')],
    ['col.dns_ms', (c) => ms(c, 'dns_ms')],
    ['col.connect_ms', (c) => ms(c, 'connect_ms')],
    ['col.tls_ms', (c) => ms(c, 'tls_ms')],
    ['col.first_byte_ms', (c) => ms(c, 'first_byte_ms')],
    ['col.ip', (c) => c.ip || '—'],
  ], items.slice(0, 30), { cls: 'compact' }));

  const newest = latest.status === 'fulfilled' && latest.value ? latest.value : items[0] || null;
  const tlsdns = main.querySelector('#tls-dns');
  mount(tlsdns,
    h('dt', t('col.ip')), h('dd.mono', (newest && newest.ip) || '—'),
    h('dt', t('col.dns_ms')), h('dd', newest ? ms(newest, 'dns_ms') : '—'),
    h('dt', t('site.http_version')), h('dd', httpVersion(newest && newest.http_version)),
    h('dt', t('site.tls_not_after')), h('dd', newest && newest.tls_not_after ? fmtTime(newest.tls_not_after)
      : newest && /^https:/i.test(s.url || '') ? '—' : t('site.no_tls')),
    h('dt', t('site.body_size')), h('dd', newest && newest.status ? fmtNum(newest.body_size) + ' B' : '—'));

  const fl = newest && newest.findings ? newest.findings : [];
  if (latest.status === 'rejected') mount(finds, errorBox(latest.reason));
  else if (!fl.length) mount(finds, h('div.empty', t('site.no_findings')));
  else mount(finds, h('ul.findings', fl.map(findingItem)));

  if (d.status === 'rejected') {
    mount(diff, d.reason.status === 404 ? h('div.empty', t('site.no_diff')) : errorBox(d.reason));
  } else {
    renderDiff(diff, d.value);
  }

  // Failed checks have no timings: gaps in the lines, not zeros.
  const pts = items.slice().reverse().map((c) => (c.err ? { checked_at: c.checked_at } : c));
  if (!pts.some((c) => c.total_ms != null)) {
    mount(rt, h('div.empty.chart-empty', t(items.length ? 'site.rt_none_ok' : 'site.rt_no_checks')));
    return;
  }
  try {
    await chart(rt, {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 30, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: pts.map((c) => fmtTime(c.checked_at).slice(5, 16)) },
      yAxis: { type: 'value', name: 'ms' },
      series: ['dns_ms', 'connect_ms', 'tls_ms', 'first_byte_ms', 'total_ms'].map((k) => ({
        name: t('col.' + k), type: 'line', symbolSize: 3, data: pts.map((c) => c[k] ?? null),
        ...(k === 'total_ms' ? { lineStyle: { width: 2.5 } } : { lineStyle: { width: 1 } }),
      })),
    });
  } catch (e) { mount(rt, errorBox(e)); }
}

// The fetch error code of a check (src/probe/fetch.h, append-only list)
// in words.
function fetchErr(code) {
  return tv('fetch_err', code);
}

// A timing of a check: "—" for a failed check (it has none).
function ms(c, k) {
  return c.err ? '—' : fmtMs(c[k]);
}

// "11" (libcurl's way) as "HTTP/1.1"; other forms as they are.
function httpVersion(v) {
  const m = { 10: 'HTTP/1.0', 11: 'HTTP/1.1', 2: 'HTTP/2', 20: 'HTTP/2', 3: 'HTTP/3', 30: 'HTTP/3' };
  if (v === null || v === undefined || v === '' || String(v) === '0') return '—';
  return m[String(v)] || String(v);
}

// One finding: severity, the kind's name (the table's Chinese label in
// Chinese; the check's own one-line title in English, and as a tooltip),
// then its evidence as a person reads it: where (target, offset), how
// (technique, confidence), the snippet as text, and the raw JSON folded.
function findingItem(f) {
  const zh = lang() === 'zh-CN';
  const name = zh && f.label ? f.label : (f.title || f.label || f.check);
  const ev = f.evidence && typeof f.evidence === 'object' ? f.evidence : null;
  const facts = [];
  const fact = (key, val, cls) => {
    if (val === null || val === undefined || val === '') return;
    facts.push(h('dt', t('ev.f.' + key)), h('dd' + (cls || ''), String(val)));
  };
  if (ev) {
    fact('target', ev.target || ev.url || ev.domain, '.mono');
    if (ev.offset !== undefined) fact('offset', ev.length !== undefined ? t('ev.f.offset_len', { o: ev.offset, n: ev.length }) : ev.offset);
    fact('technique', ev.technique, '.mono');
    if (typeof ev.confidence === 'number') fact('confidence', Math.round(ev.confidence * 100) + '%');
    fact('detail', ev.detail);
    if (ev.count > 1) fact('count', ev.count);
  } else if (typeof f.evidence === 'string') {
    fact('detail', f.evidence);
  }
  return h('li.finding', { 'data-check': f.check || '' },
    h('div.f-head', sevBadge(f.severity), h('span.kind', tv('kind', f.kind)),
      h('strong.f-title', { title: f.title || '' }, name), h('span.check.mono', f.check || '')),
    facts.length ? h('dl.facts.evidence-facts', facts) : null,
    ev && ev.snippet ? h('div.snippet', h('div.snippet-label', t('ev.f.snippet')), h('pre.evidence', ev.snippet)) : null,
    ev ? h('details.raw', h('summary', t('ev.raw')), h('pre.evidence.raw-json', JSON.stringify(ev, null, 2))) : null);
}

// Two columns: the baseline's visible text and the current page's, line
// by line, deletions and additions marked.
function renderDiff(el, d) {
  const left = [];
  const right = [];
  let changed = 0;
  for (const l of (d.lines || []).slice(0, 5000)) {
    if (l.op === 'same') { left.push(h('div.dl', l.text)); right.push(h('div.dl', l.text)); }
    else if (l.op === 'del') { left.push(h('div.dl.del', l.text)); right.push(h('div.dl.pad', '')); changed++; }
    else { left.push(h('div.dl.pad', '')); right.push(h('div.dl.add', l.text)); changed++; }
  }
  const b = d.baseline || {};
  const c = d.current || {};
  mount(el,
    h('p.sub', t('site.diff.changed', { n: changed })),
    h('div.diff',
      h('div.diff-col', h('div.diff-head', t('site.diff.baseline'), ' · ', b.title || '', ' · ', fmtTime(b.created_at)), h('div.diff-body#diff-baseline', left)),
      h('div.diff-col', h('div.diff-head', t('site.diff.current'), ' · ', c.title || '', ' · ', fmtTime(c.checked_at)), h('div.diff-body#diff-current', right))));
}
