// dom.js - the only way pages build HTML: elements and text nodes, never
// innerHTML, so nothing a site, a finding or a user wrote can become markup.

// h('div.card#x', {attrs}, ...children): an element.  Attributes starting
// with "on" are listeners; "class", "for", "value", "checked", "disabled"
// and "data-*" are set as such; children are nodes, strings (as text),
// numbers, arrays, or null/false (skipped).
export function h(tag, attrs, ...children) {
  const m = /^([a-z0-9]+)((?:[.#][\w-]+)*)$/i.exec(tag);
  const el = document.createElement(m ? m[1] : 'div');
  if (m && m[2]) {
    for (const part of m[2].match(/[.#][\w-]+/g)) {
      if (part[0] === '.') el.classList.add(part.slice(1));
      else el.id = part.slice(1);
    }
  }
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'value') el.value = v;
    else if (k === 'checked' || k === 'disabled' || k === 'selected') el[k] = !!v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

// Appends children (see h) to el.
export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// Replaces everything inside el with children.
export function mount(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

// A <select> with options [[value, label], ...] and the current value.
export function select(attrs, options, current) {
  const s = h('select', attrs);
  for (const [v, label] of options) {
    s.appendChild(h('option', { value: v, selected: String(v) === String(current ?? '') }, label));
  }
  return s;
}

// A date-time from the API ("2026-11-24 10:00:00", ISO, or unix seconds)
// as "YYYY-MM-DD hh:mm:ss"; nothing is "—".
export function fmtTime(s) {
  if (!s) return '—';
  if (typeof s === 'number') {
    // Unix seconds, shown in the browser's time zone.
    const d = new Date(s * 1000);
    const p = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  }
  return String(s).replace('T', ' ').replace(/(\.\d+)?Z?$/, '').slice(0, 19);
}

// A number with thousands separators, or "—".
export function fmtNum(n) {
  return n === null || n === undefined ? '—' : Number(n).toLocaleString('en-US');
}

// A duration in whole milliseconds as the API gives it: 0 is a
// measurement under 1 ms (loopback), shown as "<1 ms", not "0 ms".
export function fmtMs(n) {
  if (n === null || n === undefined) return '—';
  return n < 1 ? '<1 ms' : fmtNum(n) + ' ms';
}
