// Import: a CSV or XLSX register file, checked first (dry run) and then
// imported; every rejected row and column is listed.
import { h, mount } from '../dom.js';
import { t, tv } from '../i18n.js';
import * as api from '../api.js';
import { card, errorBox, table } from '../ui.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function summary(r) {
  const parts = Object.entries((r && r.imported) || {}).map(([k, v]) => `${tv('imp.kind', k)}: ${v}`);
  return parts.join('，') || '0';
}

export function render(main) {
  const file = h('input#imp-file', { type: 'file', accept: '.csv,.xlsx,text/csv,' + XLSX });
  const out = h('div#imp-result');
  const send = async (dry) => {
    const f = file.files[0];
    if (!f) { mount(out, errorBox(t('imp.choose'))); return; }
    const type = /\.xlsx$/i.test(f.name) ? XLSX : 'text/csv';
    mount(out, h('div.sub', t('common.loading')));
    try {
      const r = await api.request('POST', dry ? '/api/import?dry_run=1' : '/api/import', { body: await f.arrayBuffer(), type });
      mount(out, h('div.verdict.ok#imp-ok', (dry ? t('imp.dry_ok') : t('imp.done')) + ' ' + summary(r)));
    } catch (e) {
      if (!e.problems.length) { mount(out, errorBox(e)); return; }
      mount(out, h('div.verdict.bad', t('imp.rejected', { n: e.problems.length })),
        table([
          // CSV: row is the register row (1 = the first under the header),
          // line where it starts in the file, which an editor shows.  XLSX:
          // row is the sheet's row number and cell the cell (e.g. H7).
          ['imp.row', (p) => [t('imp.row_n', { n: p.row }),
            p.cell ? h('span.sub', ' ', t('imp.cell_n', { c: p.cell }))
              : p.line ? h('span.sub', ' ', t('imp.line_n', { n: p.line })) : null]],
          ['imp.column', (p) => p.column || '—'],
          ['imp.message', (p) => p.message || ''],
        ], e.problems.slice(0, 1000), { cls: 'problems' }));
    }
  };
  mount(main, h('div.page-head', h('h2', t('nav.import'))),
    card('imp.upload', h('p.sub', t('imp.help')),
      h('div.inline', file,
        h('button#imp-check', { type: 'button', onclick: () => send(true) }, t('imp.check')),
        h('button.primary#imp-submit', { type: 'button', onclick: () => send(false) }, t('imp.submit'))),
      out));
}
