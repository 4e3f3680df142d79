// Evidence: verify an exported package (exports are on each incident).
// The server checks the package alone (hashes, chain, signature); the page
// shows the verdict, what was wrong, and every item with its own result.
import { h, mount } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { card, errorBox, table } from '../ui.js';

export function render(main) {
  const file = h('input#ev-file', { type: 'file', accept: '.tar,.swev,application/octet-stream' });
  const out = h('div#ev-result');
  mount(main, h('div.page-head', h('h2', t('nav.evidence'))),
    card('ev.verify', h('p.sub', t('ev.verify_help')),
      h('form.inline', {
        onsubmit: async (ev) => {
          ev.preventDefault();
          if (!file.files[0]) { mount(out, errorBox(t('imp.choose'))); return; }
          mount(out, h('div.sub', t('common.loading')));
          try {
            const r = await api.request('POST', '/api/evidence/verify', { body: await file.files[0].arrayBuffer() });
            const items = r.items || [];
            mount(out, h('div.verdict.' + (r.ok ? 'ok' : 'bad') + '#ev-verdict', r.ok ? t('ev.ok') : t('ev.bad')),
              (r.bad || []).length ? table([
                ['ev.item', (x) => h('span.mono', x.member || '')],
                ['ev.reason', (x) => x.problem || ''],
              ], r.bad, { cls: 'problems' }) : null,
              h('p.sub', t('ev.items', { n: items.length })),
              items.length ? table([
                ['ev.seq', (x) => x.seq],
                ['ev.item', (x) => h('span.mono', x.path || '')],
                ['ev.check', (x) => (x.ok ? t('ev.item_ok') : h('span.audit-fail', t('ev.item_bad')))],
              ], items.slice(0, 1000), { cls: 'compact' }) : null);
          } catch (e) { mount(out, errorBox(e)); }
        },
      }, file, h('button.primary', { type: 'submit' }, t('ev.verify_btn'))), out),
    card('ev.export', h('p.sub', t('ev.export_help')), h('a', { href: '#/incidents' }, t('nav.incidents'))));
}
