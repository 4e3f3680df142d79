// ui.js - pieces the pages share: tables, the pager, badges, forms whose
// errors sit next to the field the API named, and the error banner.
import { h, select } from './dom.js';
import { t, tv } from './i18n.js';

// table(columns, rows): columns are [labelKey, row => cell content].
export function table(columns, rows, opts = {}) {
  return h('table.grid' + (opts.cls ? '.' + opts.cls : ''),
    h('thead', h('tr', columns.map(([k]) => h('th', t(k))))),
    h('tbody', rows.length
      ? rows.map((r) => h('tr', opts.rowAttrs ? opts.rowAttrs(r) : null, columns.map(([, f]) => h('td', f(r)))))
      : h('tr', h('td.empty', { colspan: columns.length }, opts.empty || t('common.none')))));
}

// pager(total, limit, offset, goto(offset)).
export function pager(total, limit, offset, gotoFn) {
  const page = Math.floor(offset / limit) + 1;
  const pages = Math.max(1, Math.ceil(total / limit));
  return h('div.pager',
    h('span', t('common.total', { n: total })),
    h('button', { disabled: page <= 1, onclick: () => gotoFn(Math.max(0, offset - limit)) }, t('common.prev')),
    h('span.page', t('common.page', { p: page, n: pages })),
    h('button', { disabled: page >= pages, onclick: () => gotoFn(offset + limit) }, t('common.next')));
}

export function sevBadge(sev) {
  return h('span.badge.sev-' + String(sev || 'info').replace(/[^a-z]/g, ''), tv('severity', sev));
}

// A site's up/down state as a coloured dot and word.
export function upBadge(state) {
  const up = state ? state.up : null;
  const cls = up === true ? 'up' : up === false ? 'down' : 'unknown';
  return h('span.state.' + cls, t('state.' + cls));
}

export function errorBox(e) {
  return h('div.error', { role: 'alert' }, e && e.message ? e.message : String(e));
}

export function card(titleKey, ...body) {
  return h('section.card', titleKey && h('h3', t(titleKey)), ...body);
}

// field(name, labelKey, input): a labelled input with an empty error slot
// that showErrors fills.
export function field(name, labelKey, input, hint) {
  input.name = name;
  input.id = 'f-' + name;
  return h('div.field', { 'data-field': name },
    h('label', { for: 'f-' + name }, t(labelKey)), input,
    hint && h('div.hint', hint), h('div.field-error'));
}

export function input(value, attrs = {}) {
  return h('input', { type: 'text', value: value ?? '', ...attrs });
}

export function choice(options, value) { return select({}, options, value); }

// Puts the API's error next to its field (or in the form's banner when it
// names none) and focuses the field.
export function showErrors(form, e) {
  for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
  for (const el of form.querySelectorAll('.field.bad')) el.classList.remove('bad');
  const banner = form.querySelector('.form-error');
  if (banner) banner.textContent = '';
  const f = e && e.field ? form.querySelector(`.field[data-field="${CSS.escape(e.field)}"]`) : null;
  if (f) {
    f.classList.add('bad');
    f.querySelector('.field-error').textContent = e.message;
    const inp = f.querySelector('input,select,textarea');
    if (inp) inp.focus();
  } else if (banner && e) {
    banner.textContent = e.message || String(e);
  }
}

// A short-lived notice at the top of the page.
export function toast(msg) {
  // Notices stack in one corner instead of covering each other.
  let box = document.getElementById('toasts');
  if (!box) { box = h('div.toasts#toasts', { role: 'status' }); document.body.appendChild(box); }
  const el = h('div.toast', msg);
  box.appendChild(el);
  setTimeout(() => el.remove(), 3000);
}
