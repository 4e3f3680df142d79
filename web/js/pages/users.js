// Users (administrators): the list, a new account, role and scope edits,
// disabling, and password resets.
import { h, mount, select } from '../dom.js';
import { t, tv } from '../i18n.js';
import * as api from '../api.js';
import { table, card, errorBox, field, input, showErrors, toast } from '../ui.js';

const ROLES = ['admin', 'supervisor', 'operator', 'auditor'];
const roleOpts = () => ROLES.map((r) => [r, t('role.' + r)]);

export async function render(main) {
  mount(main, h('div.page-head', h('h2', t('nav.users'))));
  let r;
  try { r = await api.get('/api/users', { limit: 1000 }); } catch (e) { main.appendChild(errorBox(e)); return; }
  const reload = () => render(main);
  main.appendChild(card(null, table([
    ['col.id', (u) => u.id],
    ['users.name', (u) => u.name],
    ['users.role', (u) => select({ onchange: (ev) => change(u, { role: ev.target.value }, reload) }, roleOpts(), u.role)],
    ['users.region', (u) => u.region || '—'],
    ['users.dept', (u) => u.dept_id || '—'],
    ['users.unit', (u) => u.unit_id || '—'],
    ['users.state', (u) => (u.disabled ? t('users.disabled') : t('users.active'))],
    ['col.actions', (u) => h('span.row-actions',
      h('button.small', { onclick: () => change(u, { disabled: !u.disabled }, reload) }, u.disabled ? t('users.enable') : t('users.disable')),
      h('button.small', { onclick: () => passwd(u) }, t('users.passwd')))],
  ], r.items || [])));
  main.appendChild(card('users.new', newForm(reload)));
}

async function change(u, body, reload) {
  try { await api.patch('/api/users/' + u.id, body); toast(t('common.saved')); } catch (e) { toast(e.message); }
  reload();
}

async function passwd(u) {
  const p = prompt(t('users.passwd_prompt', { name: u.name }));
  if (!p) return;
  try { await api.post(`/api/users/${u.id}/password`, { password: p }); toast(t('common.saved')); } catch (e) { toast(e.message); }
}

function newForm(reload) {
  const form = h('form.edit', {
    onsubmit: async (ev) => {
      ev.preventDefault();
      const body = {};
      for (const k of ['name', 'password', 'role', 'region']) if (form.elements[k].value.trim()) body[k] = form.elements[k].value.trim();
      for (const k of ['dept_id', 'unit_id']) if (form.elements[k].value.trim()) body[k] = Number(form.elements[k].value);
      try { await api.post('/api/users', body); toast(t('common.saved')); reload(); } catch (e) { showErrors(form, e); }
    },
  },
  h('div.form-grid',
    field('name', 'users.name', input('')), field('password', 'users.password', input('', { type: 'password', autocomplete: 'new-password' })),
    field('role', 'users.role', select({}, roleOpts(), 'operator')), field('region', 'users.region', input('')),
    field('dept_id', 'users.dept', input('', { type: 'number' })), field('unit_id', 'users.unit', input('', { type: 'number' }))),
  h('div.form-error'), h('div.actions', h('button.primary', { type: 'submit' }, t('users.create'))));
  return form;
}
