// Evidence: verify an exported package (exports are on each incident).
import { h, mount } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { card, errorBox, table } from '../ui.js';

export function render(main) {
  const file = h('input#ev-file', { type: 'file' });
  const out = h('div#ev-result');
  mount(main, h('div.page-head', h('h2', t('nav.evidence'))),
    card('ev.verify', h('p.sub', t('ev.verify_help')),
      h('form.inline', {
        onsubmit: async (ev) => {
          ev.preventDefault();
          if (!file.files[0]) return;
          mount(out, h('div.sub', t('common.loading')));
          try {
            const r = await api.request('POST', '/api/evidence/verify', { body: await file.files[0].arrayBuffer() });
            const row = (x) => (typeof x === 'string' ? { name: x } : x);
            mount(out, h('div.verdict.' + (r.ok ? 'ok' : 'bad'), r.ok ? t('ev.ok') : t('ev.bad')),
              (r.bad || []).length ? table([['ev.item', (x) => row(x).name || row(x).path || JSON.stringify(x)], ['ev.reason', (x) => row(x).reason || row(x).error || '']], r.bad) : null,
              h('p.sub', t('ev.items', { n: (r.items || []).length })));
          } catch (e) { mount(out, errorBox(e)); }
        },
      }, file, h('button.primary', { type: 'submit' }, t('ev.verify_btn'))), out),
    card('ev.export', h('p.sub', t('ev.export_help')), h('a', { href: '#/incidents' }, t('nav.incidents'))));
}
