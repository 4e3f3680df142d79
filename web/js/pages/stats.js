// Statistics (统计): the compliance figures of GET /api/stats for a scope
// (region with sub-regions, unit type, department, group), the same
// numbers as `sitewarden stats --json`: register status, review,
// identification, MLPS, open findings, incidents and rectification; then
// the same key figures side by side for each region below the asked one
// and for each unit type (one /api/stats call per row, at most
// BREAKDOWN_MAX regions).
import { h, mount, select, fmtNum } from '../dom.js';
import { t, tv } from '../i18n.js';
import * as api from '../api.js';
import { go } from '../app.js';
import { card, errorBox, table } from '../ui.js';
import { unitTypes } from './sites.js';

const KEYS = ['region', 'unit_type', 'dept', 'group'];
const BREAKDOWN_MAX = 40;
const UNIT_TYPES = ['party_gov', 'institution', 'soe', 'telecom', 'other'];

// "83.3%" of a 0..1 ratio; "—" when there is nothing to divide.
const pct = (r) => (r === null || r === undefined ? '—' : (Math.round(r * 1000) / 10) + '%');
const ratio = (a, b) => (b ? a / b : null);

// A big figure with its label, an optional share bar and a line under it.
function figure(label, value, share, note, id) {
  // The bar's width goes through the CSSOM: the server's CSP refuses
  // inline style attributes.
  const fill = h('span');
  fill.style.width = `${share == null ? 0 : Math.max(0, Math.min(100, share * 100))}%`;
  return h('section.card.stat' + (id ? '#' + id : ''),
    h('h3', label), h('div.stat-big', value),
    share !== undefined ? h('div.bar' + (share !== null && share < 0.8 ? '.warn' : ''), fill) : null,
    note ? h('div.sub.small', note) : null);
}

function facts(pairs) {
  return h('dl.facts', pairs.map(([k, v]) => [h('dt', t(k)), h('dd', v)]));
}

export async function render(main, { query }) {
  const f = Object.fromEntries(KEYS.map((k) => [k, query.get(k) || '']));
  const ctl = {
    region: h('input#s-region', { type: 'text', value: f.region, placeholder: t('filter.region.ph'), size: 11 }),
    unit_type: select({ id: 's-unit_type' }, [['', t('filter.all')], ...unitTypes()], f.unit_type),
    dept: h('input#s-dept', { type: 'text', value: f.dept, placeholder: t('filter.group.ph'), size: 10 }),
    group: h('input#s-group', { type: 'text', value: f.group, placeholder: t('filter.group.ph'), size: 10 }),
  };
  const lab = (k, el) => h('span.fl', h('label', { for: el.id }, t('filter.' + k)), el);
  mount(main, h('div.page-head', h('h2', t('nav.stats')),
    h('form.filters#stats-filters', { onsubmit: (e) => { e.preventDefault(); go('/stats', Object.fromEntries(KEYS.map((k) => [k, ctl[k].value.trim()]))); } },
      lab('region', ctl.region), lab('unit_type', ctl.unit_type), lab('dept', ctl.dept), lab('group', ctl.group),
      h('button.primary#s-apply', { type: 'submit' }, t('common.apply')),
      h('button', { type: 'button', onclick: () => go('/stats') }, t('common.reset')))));
  let s;
  try { s = await api.get('/api/stats', f); } catch (e) {
    main.appendChild(e.status === 404 && !e.field ? h('div.empty', t('stats.unavailable')) : errorBox(e));
    return;
  }
  const id = s.identification || {};
  const m = s.mlps || {};
  const rv = s.reviews || {};
  const rc = s.rectification || {};
  const rcs = rc.by_status || {};
  const fi = s.findings || {};
  const inc = s.incidents || {};
  const sites = s.sites || {};
  main.appendChild(h('p.sub', t('stats.as_of', { d: s.as_of || '—' })));
  main.appendChild(h('div.stat-grid#stats-figures',
    figure(t('stats.sites'), fmtNum(sites.total), undefined,
      Object.entries(sites.by_status || {}).filter(([, v]) => v).map(([k, v]) => `${tv('site_status', k)} ${v}`).join(' · ') || '—', 'st-sites'),
    figure(t('stats.ident'), pct(id.completeness), id.completeness ?? null,
      t('stats.ident_note', { c: fmtNum(id.complete), n: fmtNum(id.sites) }), 'st-ident'),
    figure(t('stats.mlps_filed'), pct(ratio(m.filed, m.filing_required)), ratio(m.filed, m.filing_required),
      t('stats.of_n', { a: fmtNum(m.filed), n: fmtNum(m.filing_required) }), 'st-mlps'),
    figure(t('stats.rect_open'), fmtNum((rcs.open || 0) + (rcs.in_progress || 0)), undefined,
      t('stats.rect_note', { o: fmtNum(rc.overdue), v: fmtNum(rc.ready_to_verify) }), 'st-rect')));

  main.appendChild(h('div.grid2',
    card('stats.reviews', rv.items ? facts([
      ['stats.rv.items', fmtNum(rv.items)], ['stats.rv.decided', fmtNum(rv.decided)],
      ['stats.rv.approved', fmtNum(rv.approved)], ['stats.rv.rejected', fmtNum(rv.rejected)],
      ['stats.rv.pending', fmtNum(rv.pending)], ['stats.rv.overdue', fmtNum(rv.overdue)],
      ['stats.rv.completion', pct(rv.completion)],
      ['stats.rv.tasks', t('stats.rv.tasks_n', { o: fmtNum(rv.tasks_open), d: fmtNum(rv.tasks_done) })],
    ]) : h('div.empty', t('stats.rv.none'))),
    card('stats.identification', facts([
      ['stats.id.sites', fmtNum(id.sites)], ['stats.id.complete', fmtNum(id.complete)],
      ['stats.id.missing', fmtNum(id.missing)], ['stats.id.mismatch', fmtNum(id.mismatch)],
      ['stats.id.unchecked', fmtNum(id.unchecked)], ['stats.id.completeness', pct(id.completeness)],
    ]))));
  main.appendChild(h('div.grid2',
    card('stats.mlps', facts([
      ['stats.m.sites', fmtNum(m.sites)], ['stats.m.graded', fmtNum(m.graded)], ['stats.m.ungraded', fmtNum(m.ungraded)],
      ['stats.m.filed', t('stats.of_n', { a: fmtNum(m.filed), n: fmtNum(m.filing_required) })],
      ['stats.m.on_time', t('stats.of_n', { a: fmtNum(m.assessed_on_time), n: fmtNum(m.assessment_required) })],
      ['stats.m.due_soon', fmtNum(m.due_soon)], ['stats.m.overdue', fmtNum(m.overdue)],
      ['stats.m.never', fmtNum(m.never_assessed)],
    ])),
    card('stats.rectification', facts([
      ['stats.r.total', fmtNum(rc.total)],
      ...['open', 'in_progress', 'fixed', 'verified', 'overdue'].map((k) => ['stats.r.' + k, fmtNum(rcs[k] || 0)]),
      ['stats.r.ready', fmtNum(rc.ready_to_verify)],
    ]))));
  main.appendChild(h('div.grid2',
    card('stats.findings', facts([
      ['stats.f.open', fmtNum(fi.open)],
      ['stats.f.by_severity', ['critical', 'high', 'medium', 'low', 'info'].filter((k) => (fi.by_severity || {})[k])
        .map((k) => `${tv('severity', k)} ${fi.by_severity[k]}`).join(' · ') || '—'],
      ['stats.f.by_kind', Object.entries(fi.by_kind || {}).filter(([, v]) => v).sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${tv('kind', k)} ${v}`).join(' · ') || '—'],
    ])),
    card('stats.incidents', inc.tracked === false ? h('div.empty', t('stats.inc.untracked')) : facts([
      ['stats.inc.total', fmtNum(inc.total)],
      ['stats.inc.mttr', inc.detect_to_recover_mean_s == null ? '—' : t('stats.minutes', { n: Math.round(inc.detect_to_recover_mean_s / 60) })],
      ['stats.inc.p90', inc.detect_to_recover_p90_s == null ? '—' : t('stats.minutes', { n: Math.round(inc.detect_to_recover_p90_s / 60) })],
    ]))));

  // The breakdowns: regions below the asked one (the overview knows which
  // have sites) and unit types, unless the filter already fixes one.
  const byRegion = h('div#stats-by-region', h('div.sub', t('common.loading')));
  const byType = h('div#stats-by-type', h('div.sub', t('common.loading')));
  main.appendChild(card('stats.by_region', byRegion));
  if (!f.unit_type) main.appendChild(card('stats.by_unit_type', byType));
  const rowsOf = async (list, key) => Promise.all(list.map(async ([val, label]) => {
    try { return { label, val, s: await api.get('/api/stats', { ...f, [key]: val }) }; } catch (e) { return { label, val, err: e }; }
  }));
  const cols = (first, link) => [
    [first, (r) => link(r)],
    ['stats.sites', (r) => (r.s ? fmtNum(r.s.sites.total) : h('span.error', r.err.message))],
    ['stats.id.completeness', (r) => (r.s ? pct(r.s.identification.completeness) : '')],
    ['stats.col.mlps_filed', (r) => (r.s ? t('stats.of_n', { a: r.s.mlps.filed, n: r.s.mlps.filing_required }) : '')],
    ['stats.col.mlps_overdue', (r) => (r.s ? fmtNum(r.s.mlps.overdue) : '')],
    ['stats.rv.completion', (r) => (r.s ? pct(r.s.reviews.completion) : '')],
    ['stats.f.open', (r) => (r.s ? fmtNum(r.s.findings.open) : '')],
    ['stats.col.rect_overdue', (r) => (r.s ? fmtNum(r.s.rectification.overdue) : '')],
  ];
  const work = [];
  work.push((async () => {
    let regions = [];
    try {
      const o = await api.get('/api/overview', { region: f.region, unit_type: f.unit_type, group: /^\d+$/.test(f.group) ? f.group : '' });
      regions = (o.by_region || []).filter((r) => r.code !== f.region).slice(0, BREAKDOWN_MAX).map((r) => [r.code, r.name || r.code]);
    } catch (e) { mount(byRegion, errorBox(e)); return; }
    const rows = await rowsOf(regions, 'region');
    mount(byRegion, table(cols('col.region', (r) => h('a', { href: '#/stats?' + new URLSearchParams({ ...f, region: r.val }) }, r.label)),
      rows, { cls: 'compact', empty: t('stats.no_regions') }));
  })());
  if (!f.unit_type) {
    work.push((async () => {
      const rows = (await rowsOf(UNIT_TYPES.map((u) => [u, tv('unit_type', u)]), 'unit_type')).filter((r) => !r.s || r.s.sites.total);
      mount(byType, table(cols('col.unit_type', (r) => h('a', { href: '#/stats?' + new URLSearchParams({ ...f, unit_type: r.val }) }, r.label)),
        rows, { cls: 'compact' }));
    })());
  }
  await Promise.all(work);
}
