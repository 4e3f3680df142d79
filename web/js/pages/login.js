// The sign-in form.
import { h, mount } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { session, go } from '../app.js';

export function render(main) {
  const err = h('div.form-error', { role: 'alert' });
  const name = h('input#login-name', { type: 'text', autocomplete: 'username', required: true });
  const pass = h('input#login-password', { type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form.login',
    {
      onsubmit: async (ev) => {
        ev.preventDefault();
        err.textContent = '';
        try {
          const r = await api.post('/api/login', { name: name.value, password: pass.value });
          session.user = r.user;
          api.setCsrf(r.csrf);
          go('/');
        } catch (e) {
          err.textContent = e.status === 401 || e.status === 400 ? t('login.failed') : e.message;
          if (e.status === 429) err.textContent = t('login.throttled');
        }
      },
    },
    h('h2', t('login.title')),
    h('p.sub', t('login.sub')),
    h('label', { for: 'login-name' }, t('login.name')), name,
    h('label', { for: 'login-password' }, t('login.password')), pass,
    err,
    h('button.primary#login-submit', { type: 'submit' }, t('login.submit')));
  mount(main, form);
  name.focus();
}
