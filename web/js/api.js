// api.js - every call to the sitewarden API goes through here: JSON in and
// out, the CSRF token on every state change, and one error type that names
// the field the server blamed.

let csrf = '';
let onUnauthorized = () => {};

export function setCsrf(token) { csrf = token || ''; }
export function setOnUnauthorized(fn) { onUnauthorized = fn; }

// An API failure: status, the server's message, the input field at fault
// (or ''), and the import problems list when there is one.
export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error) || `HTTP ${status}`);
    this.status = status;
    this.field = (body && body.field) || '';
    this.problems = (body && Array.isArray(body.problems)) ? body.problems : [];
  }
}

// Builds "/api/x?a=1&b=2", leaving out empty values.
export function qs(path, params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== '' && v !== null && v !== undefined) u.set(k, v);
  }
  const s = u.toString();
  return s ? `${path}?${s}` : path;
}

// request(method, path, {json, body, type, raw}): the parsed JSON answer
// (or the Response itself with raw), throws ApiError on a 4xx/5xx.
export async function request(method, path, opts = {}) {
  const headers = { Accept: 'application/json' };
  let body;
  if (opts.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = opts.type || 'application/octet-stream';
    body = opts.body;
  }
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
  const res = await fetch(path, { method, headers, body, credentials: 'same-origin' });
  if (!res.ok) {
    let data = null;
    try { data = await res.json(); } catch { /* not JSON: the status says enough */ }
    if (res.status === 401 && path !== '/api/login') onUnauthorized();
    throw new ApiError(res.status, data);
  }
  if (opts.raw) return res;
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

export const get = (path, params) => request('GET', qs(path, params));
export const post = (path, json) => request('POST', path, { json: json ?? {} });
export const put = (path, json) => request('PUT', path, { json });
export const patch = (path, json) => request('PATCH', path, { json });
export const del = (path) => request('DELETE', path);
