// Register editing: the site form (new and edit).  Validation is the
// server's (the same as the CLI's); its error is shown next to the field
// it names.
import { h, mount, select } from '../dom.js';
import { t, tv } from '../i18n.js';
import * as api from '../api.js';
import { go } from '../app.js';
import { field, input, showErrors, errorBox, toast, card } from '../ui.js';
import { siteStatuses } from './sites.js';

// [key, kind]: text, list (";"-separated, sent as an array), ref (id or
// name), enum values, date, int, bool.
const FIELDS = [
  ['name', 'text'], ['url', 'text'], ['unit', 'ref'], ['group', 'ref'], ['status', 'status'],
  ['hosting', ['self', 'idc', 'cloud', 'group']], ['domains', 'list'], ['ips', 'list'],
  ['icp', 'text'], ['psb', 'text'], ['gov_code', 'text'], ['badge', 'bool'], ['launch_date', 'date'],
  ['review_state', ['pending', 'approved', 'rejected']], ['mlps_grade', 'int'], ['mlps_next_due', 'date'], ['note', 'text'],
];

// The input for field k of the given kind, holding v.
function control(k, kind, v) {
  const none = [['', '—']];
  if (kind === 'status') return select({}, [...none, ...siteStatuses()], v);
  if (Array.isArray(kind)) return select({}, [...none, ...kind.map((x) => [x, tv(k, x)])], v);
  if (kind === 'bool') return select({}, [...none, ['1', t('common.yes')], ['0', t('common.no')]], v === null || v === undefined ? '' : (v ? '1' : '0'));
  if (kind === 'date') return input(v, { type: 'date' });
  if (kind === 'int') return input(v, { type: 'number', min: 1, max: 5 });
  if (kind === 'list') return input(Array.isArray(v) ? v.join('; ') : v);
  return input(v);
}

// The JSON body: only fields the user filled (or cleared, on edit: null).
function collect(form, isNew) {
  const out = {};
  for (const [k, kind] of FIELDS) {
    const raw = form.elements[k].value.trim();
    if (raw === '') { if (!isNew) out[k] = null; continue; }
    if (kind === 'list') out[k] = raw.split(/[;；,\s]+/).filter(Boolean);
    else if (kind === 'int') out[k] = Number(raw);
    else if (kind === 'bool') out[k] = raw === '1';
    else if (kind === 'ref' && /^\d+$/.test(raw)) out[k] = Number(raw);
    else out[k] = raw;
  }
  return out;
}

export async function render(main, { params }) {
  const isNew = !params.id;
  let s = {};
  if (!isNew) {
    try { s = await api.get('/api/sites/' + encodeURIComponent(params.id)); } catch (e) { mount(main, errorBox(e)); return; }
  }
  const banner = h('div.form-error', { role: 'alert' });
  const form = h('form.edit#site-form', {
    onsubmit: async (ev) => {
      ev.preventDefault();
      try {
        const body = collect(form, isNew);
        const r = isNew ? await api.post('/api/sites', body) : await api.put('/api/sites/' + s.id, body);
        toast(t('common.saved'));
        go('/sites/' + ((r && r.id) || s.id));
      } catch (e) { showErrors(form, e); }
    },
  },
  h('div.form-grid', FIELDS.map(([k, kind]) => field(k, 'field.' + (k === 'unit' ? 'unit_name' : k),
    control(k, kind, k === 'unit' ? (s.unit_name || s.unit) : k === 'group' ? (s.group_name || s.group) : s[k]),
    kind === 'ref' ? t('edit.ref_hint') : kind === 'list' ? t('edit.list_hint') : null))),
  banner,
  h('div.actions',
    h('button.primary#save', { type: 'submit' }, t('common.save')),
    h('a.button', { href: isNew ? '#/sites' : '#/sites/' + s.id }, t('common.cancel')),
    !isNew && h('button.danger', {
      type: 'button',
      onclick: async () => {
        if (!confirm(t('edit.confirm_delete', { name: s.name }))) return;
        try { await api.del('/api/sites/' + s.id); toast(t('common.deleted')); go('/sites'); } catch (e) { showErrors(form, e); }
      },
    }, t('common.delete'))));
  mount(main, h('div.page-head', h('h2', isNew ? t('edit.new_site') : t('edit.edit_site', { name: s.name }))), card(null, form));
}
