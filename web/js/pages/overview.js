// Overview: the state of every site in the user's scope at a glance.
import { h, mount, fmtNum, select } from '../dom.js';
import { t, tv } from '../i18n.js';
import * as api from '../api.js';
import { go } from '../app.js';
import { chart, sevColor } from '../charts.js';
import { table, card, errorBox, sevBadge } from '../ui.js';
import { unitTypes } from './sites.js';

const SEVS = ['critical', 'high', 'medium', 'low', 'info'];

export async function render(main, { query }) {
  const f = { region: query.get('region') || '', unit_type: query.get('unit_type') || '', group: query.get('group') || '' };
  const region = h('input#ov-region', { type: 'text', value: f.region, placeholder: t('filter.region.ph'), size: 10 });
  const utype = select({ id: 'ov-unit-type' }, [['', t('filter.all')], ...unitTypes()], f.unit_type);
  const apply = () => go('/', { region: region.value.trim(), unit_type: utype.value, group: f.group });
  mount(main, h('div.page-head', h('h2', t('nav.overview')),
    h('form.filters', { onsubmit: (e) => { e.preventDefault(); apply(); } },
      h('label', t('filter.region')), region, h('label', t('filter.unit_type')), utype,
      h('button', { type: 'submit' }, t('common.apply')))));
  let o;
  try {
    o = await api.get('/api/overview', f);
  } catch (e) { main.appendChild(errorBox(e)); return; }
  if (!(o.sites && o.sites.total)) {
    // Nothing in scope: say so and where to start instead of empty charts.
    main.appendChild(h('div.empty.big#ov-empty', t(f.region || f.unit_type ? 'ov.empty_filtered' : 'ov.empty'), ' ',
      !(f.region || f.unit_type) && h('a', { href: '#/import' }, t('nav.import'))));
    return;
  }

  const s = o.sites || {};
  const fs = o.findings || {};
  const open = Object.values(fs.by_severity || {}).reduce((a, b) => a + b, 0);
  const od = o.overdue || {};
  const kpi = (key, val, cls, href) => h('a.kpi' + (cls ? '.' + cls : ''), { href: href || null }, h('div.kpi-val', fmtNum(val)), h('div.kpi-label', t(key)));
  main.appendChild(h('div.kpis',
    kpi('ov.sites', s.total, '', '#/sites'),
    kpi('ov.up', s.up, 'good', '#/sites?up=1'),
    kpi('ov.down', s.down, s.down ? 'bad' : '', '#/sites?up=0'),
    kpi('ov.unchecked', s.unchecked, ''),
    kpi('ov.open_findings', open, open ? 'warn' : ''),
    kpi('ov.overdue', (od.alerts || 0) + (od.incidents || 0) + (od.rectifications || 0), (od.alerts || od.incidents) ? 'bad' : '', '#/alerts')));

  const cStatus = h('div.chart#chart-status');
  const cKind = h('div.chart#chart-kind');
  const cSev = h('div.chart#chart-severity');
  const cTrend = h('div.chart.wide#chart-trend');
  const reg = Object.entries(s.by_status || {}).filter(([, v]) => v > 0)
    .map(([k, v]) => `${tv('site_status', k)} ${fmtNum(v)}`).join(' · ');
  const noFindings = open === 0;
  main.appendChild(h('div.grid3',
    card('ov.by_status', cStatus, h('p.chart-note#ov-register', t('ov.register_status'), reg || '—')),
    card('ov.by_kind', noFindings ? h('div.empty.chart-empty', t('ov.no_findings')) : cKind),
    card('ov.by_severity', noFindings ? h('div.empty.chart-empty', t('ov.no_findings')) : cSev)));
  main.appendChild(card('ov.trend', cTrend));

  const top = o.top_sites || [];
  main.appendChild(h('div.grid2',
    card('ov.top_sites', table([
      ['col.site', (r) => h('a', { href: '#/sites/' + r.id }, r.name)],
      ['col.open_findings', (r) => fmtNum(r.open_findings)],
      ['col.worst', (r) => sevBadge(r.worst_severity)],
    ], top)),
    card('ov.overdue_items', h('dl.facts',
      h('dt', t('ov.overdue.alerts')), h('dd', h('a', { href: '#/alerts' }, fmtNum(od.alerts || 0))),
      h('dt', t('ov.overdue.incidents')), h('dd', h('a', { href: '#/incidents' }, fmtNum(od.incidents || 0))),
      h('dt', t('ov.overdue.rectifications')), h('dd', fmtNum(od.rectifications || 0))))));
  main.appendChild(h('div.grid2',
    card('ov.by_region', table([
      ['col.region', (r) => h('a', { href: '#/?region=' + encodeURIComponent(r.code) }, r.name || r.code)],
      ['col.sites', (r) => h('a', { href: '#/sites?region=' + encodeURIComponent(r.code) }, fmtNum(r.sites))],
      ['col.down', (r) => fmtNum(r.down)],
      ['col.open_findings', (r) => fmtNum(r.open_findings)],
    ], o.by_region || [])),
    card('ov.by_unit_type', table([
      ['col.unit_type', (r) => tv('unit_type', r.unit_type)],
      ['col.sites', (r) => h('a', { href: '#/sites?unit_type=' + encodeURIComponent(r.unit_type) }, fmtNum(r.sites))],
      ['col.down', (r) => fmtNum(r.down)],
      ['col.open_findings', (r) => fmtNum(r.open_findings)],
    ], o.by_unit_type || []))));

  try {
    await drawCharts(o, f, cStatus, noFindings ? null : cKind, noFindings ? null : cSev, cTrend);
  } catch (e) {
    main.insertBefore(errorBox(t('ov.charts_failed', { e: e.message })), main.children[2]);
  }
}

async function drawCharts(o, scope, cStatus, cKind, cSev, cTrend) {
  // What supervisors ask first: which sites answer now (up), which do not
  // (down) and which were never checked; the register status is a line
  // under the chart.
  const s = o.sites || {};
  const avail = [['up', s.up, '#3f9b7a'], ['down', s.down, '#b8463f'], ['unknown', s.unchecked, '#9aa5b1']]
    .filter(([, v]) => v > 0);
  const cs = await chart(cStatus, {
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { bottom: 0 },
    series: [{ type: 'pie', radius: ['40%', '66%'], center: ['50%', '44%'], label: { formatter: '{b}: {c}' },
      data: avail.map(([k, v, c]) => ({ name: t('state.' + k), value: v, key: k, itemStyle: { color: c } })) }],
  });
  // A click on a slice or bar opens the site list filtered by it.
  const upArg = { up: '1', down: '0', unknown: 'unchecked' };
  cs.on('click', (p) => p.data && go('/sites', { ...scope, up: upArg[p.data.key] }));
  const tr = o.trend || [];
  await drawTrend(cTrend, tr);
  if (!cKind) return;
  const kinds = Object.entries((o.findings || {}).by_kind || {}).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
  const ck = await chart(cKind, {
    tooltip: { trigger: 'axis' },
    grid: { left: 8, right: 16, top: 10, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: kinds.map(([k]) => tv('kind', k)) },
    series: [{ type: 'bar', barMaxWidth: 18, data: kinds.map(([, v]) => v), itemStyle: { color: '#2f6ea5' }, cursor: 'pointer' }],
  });
  ck.on('click', (p) => kinds[p.dataIndex] && go('/sites', { ...scope, kind: kinds[p.dataIndex][0] }));
  const sev = (o.findings || {}).by_severity || {};
  const cv = await chart(cSev, {
    tooltip: { trigger: 'axis' },
    grid: { left: 8, right: 16, top: 10, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: SEVS.map((k) => tv('severity', k)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', barMaxWidth: 28, data: SEVS.map((k) => ({ value: sev[k] || 0, itemStyle: { color: sevColor[k] } })) }],
  });
  cv.on('click', (p) => SEVS[p.dataIndex] && go('/sites', { ...scope, severity: SEVS[p.dataIndex] }));
}

// Findings (bars) and availability (line) per day; days without checks
// have no availability point rather than a fake 0 %.
async function drawTrend(cTrend, tr) {
  await chart(cTrend, {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: tr.map((d) => d.day.slice(5)) },
    yAxis: [
      { type: 'value', name: t('ov.trend.findings'), minInterval: 1 },
      { type: 'value', name: t('ov.trend.availability'), min: (v) => Math.max(0, Math.floor(v.min) - 1), max: 100,
        axisLabel: { formatter: '{value}%' } },
    ],
    series: [
      { name: t('ov.trend.findings'), type: 'bar', data: tr.map((d) => d.findings), itemStyle: { color: '#d08b2c' }, barMaxWidth: 14 },
      { name: t('ov.trend.availability'), type: 'line', yAxisIndex: 1, smooth: true, symbolSize: 7, showAllSymbol: true, connectNulls: true,
        data: tr.map((d) => (d.availability === null || d.availability === undefined ? null : +(d.availability * 100).toFixed(2))),
        itemStyle: { color: '#3f9b7a' } },
    ],
  });
}
