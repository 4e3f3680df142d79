// i18n.js - every string the dashboard shows comes from one of two
// dictionaries (lang/zh-CN.js, the default, and lang/en.js); the choice is
// remembered in localStorage.  A key missing from the chosen dictionary is
// shown as the key itself and recorded in window.__swMissing, which the
// browser tests check is empty.
import zh from './lang/zh-CN.js';
import en from './lang/en.js';

const dicts = { 'zh-CN': zh, en };
const KEY = 'sitewarden.lang';
const listeners = [];
window.__swMissing = window.__swMissing || [];

let cur = (() => {
  try { return dicts[localStorage.getItem(KEY)] ? localStorage.getItem(KEY) : 'zh-CN'; } catch { return 'zh-CN'; }
})();

export function lang() { return cur; }

// Switches language, remembers it and redraws (listeners).
export function setLang(l) {
  if (!dicts[l]) return;
  cur = l;
  try { localStorage.setItem(KEY, l); } catch { /* private mode: not remembered */ }
  for (const fn of listeners) fn();
}

export function onLang(fn) { listeners.push(fn); }

// t('key', {n: 3}): the string for key with "{n}" placeholders filled.
export function t(key, vars) {
  let s = dicts[cur][key];
  if (s === undefined) {
    if (!window.__swMissing.includes(cur + ':' + key)) window.__swMissing.push(cur + ':' + key);
    s = key;
  }
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] !== undefined ? String(vars[k]) : m));
  return s;
}

// t for an enum value ("severity", "high"): the translation when there
// is one, else the value itself (values the server adds later still show).
export function tv(group, value) {
  if (value === null || value === undefined || value === '') return '—';
  const s = dicts[cur][group + '.' + value];
  return s === undefined ? String(value) : s;
}
