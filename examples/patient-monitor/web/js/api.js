// The server's JSON API. The session rides in the HttpOnly cookie the server sets at sign-in;
// every write carries the CSRF token the sign-in answer gave us (header X-CSRF-Token), which
// the server requires of cookie-authenticated writes.

/** An API error: the server's problem+json (status, detail, field, code) when it sent one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `request failed with status ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem ?? {};
    this.field = problem?.field;
    this.code = problem?.code;
  }
}

let csrfToken = sessionStorage.getItem('pm.csrf') ?? '';
let onUnauthorized = () => {};

export function setCsrf(token) {
  csrfToken = token ?? '';
  if (csrfToken) sessionStorage.setItem('pm.csrf', csrfToken);
  else sessionStorage.removeItem('pm.csrf');
}

/** Called when the server says the session is gone (401). */
export function whenUnauthorized(fn) { onUnauthorized = fn; }

export async function request(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, { detail: `the server could not be reached (${e.message})`, code: 'network' });
  }
  const type = res.headers.get('content-type') ?? '';
  const data = type.includes('json') ? await res.json().catch(() => null) : null;
  if (!res.ok) {
    if (res.status === 401 && path !== '/api/session') onUnauthorized();
    throw new ApiError(res.status, data);
  }
  return data;
}

export const get = (path) => request('GET', path);
export const post = (path, body) => request('POST', path, body ?? {});

// Session
export async function login(username, password) {
  const r = await request('POST', '/api/session', { username, password });
  setCsrf(r.csrf ?? r.csrf_token ?? '');
  return r;
}
export async function whoami() {
  const r = await get('/api/session');
  if (r?.csrf || r?.csrf_token) setCsrf(r.csrf ?? r.csrf_token);
  return r;
}
export async function logout() {
  try { await request('DELETE', '/api/session'); } finally { setCsrf(''); }
}

/** Unwraps a list answer that may be a bare array or `{<key>: [...]}`. */
export function list(r, ...keys) {
  if (Array.isArray(r)) return r;
  for (const k of keys) if (Array.isArray(r?.[k])) return r[k];
  return [];
}

export const patients = {
  search: async (q = '') => list(await get(`/api/patients?q=${encodeURIComponent(q)}`), 'patients', 'results', 'items'),
  get: (id) => get(`/api/patients/${id}`),
  register: (body) => post('/api/patients', body),
  vitals: (id, body) => post(`/api/patients/${id}/vitals`, body),
  stage: (id, stage) => post(`/api/patients/${id}/stage`, { stage }),
  history: (id) => get(`/api/patients/${id}/history`),
  audit: (id) => get(`/api/patients/${id}/audit`),
};

export const escalations = {
  open: async () => list(await get('/api/escalations?state=open'), 'escalations', 'items'),
  get: (id) => get(`/api/escalations/${id}`),
  events: (id) => get(`/api/escalations/${id}/events`),
  acknowledge: (id) => post(`/api/escalations/${id}/acknowledge`),
  resolve: (id) => post(`/api/escalations/${id}/resolve`),
};

export const events = {
  after: async (after = 0, limit) => get(`/api/events?after=${after}${limit ? `&limit=${limit}` : ''}`),
};

export const audit = {
  entries: (after = 0) => get(`/api/audit?after=${after}`),
  verify: () => get('/api/audit/verify'),
};

export const demo = {
  simulate: () => post('/api/demo/simulate'),
  reset: () => post('/api/demo/reset'),
};
