// Shared by every page: the signed-in user, the API wrapper (anti-forgery header, clear error messages), navigation, sign-out.
let csrfToken = null;

/** Calls the API; throws an Error whose message is the server's explanation. 401 sends the user to sign in. */
export async function api(path, { method = 'GET', json, form, raw = false } = {}) {
  const headers = {};
  let body;
  if (json !== undefined) { headers['Content-Type'] = 'application/json'; body = JSON.stringify(json); }
  if (form !== undefined) body = form;
  if (method !== 'GET' && path !== '/api/login') headers['X-CSRF-TOKEN'] = await antiforgery();
  let response;
  try {
    response = await fetch(path, { method, headers, body, credentials: 'same-origin' });
  } catch (e) {
    throw new Error(`The server could not be reached (${e.message}). Check the connection and try again.`);
  }
  if (response.status === 401 && path !== '/api/login') {
    location.assign('/signin?next=' + encodeURIComponent(location.pathname + location.search));
    throw new Error('Your session has ended: please sign in again.');
  }
  if (!response.ok) throw new Error(await explain(response));
  if (raw) return response;
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  return type.includes('json') ? response.json() : response.text();
}

export async function explain(response) {
  let detail = '';
  try {
    const text = await response.text();
    try { const j = JSON.parse(text); detail = j.error || j.detail || j.title || text; } catch { detail = text; }
  } catch { /* body unreadable */ }
  const what = { 400: 'The request was refused', 403: 'You do not have permission for this', 404: 'Not found',
    409: 'Not possible right now', 413: 'Too large', 415: 'Not a supported file' }[response.status] || `Server error ${response.status}`;
  return detail ? `${what}: ${detail}` : what;
}

export async function antiforgery() {
  if (!csrfToken) csrfToken = (await (await fetch('/api/antiforgery', { credentials: 'same-origin' })).json()).token;
  return csrfToken;
}

/** The signed-in user ({name, role}) or a redirect to the sign-in page. */
export async function me() {
  const user = await api('/api/me');
  return { name: user.name ?? user.Name, role: user.role ?? user.Role };
}

const links = [
  { href: '/worklist', text: 'Worklist', roles: null },
  { href: '/upload', text: 'Upload study', roles: ['admin', 'clinician'] },
  { href: '/models', text: 'Models', roles: ['admin', 'researcher'] },
  { href: '/audit', text: 'Audit log', roles: ['admin'] },
];

/** Fills the page header (navigation for the user's role, the user, sign-out) and returns the user. */
export async function startPage() {
  const user = await me();
  const nav = document.getElementById('nav');
  for (const link of links.filter(l => !l.roles || l.roles.includes(user.role))) {
    const a = el('a', { href: link.href }, link.text);
    if (location.pathname === link.href) a.setAttribute('aria-current', 'page');
    nav.append(a);
  }
  const who = document.getElementById('who');
  who.append(el('span', {}, `${user.name} (${user.role})`), el('button', { type: 'button', id: 'sign-out' }, 'Sign out'));
  document.getElementById('sign-out').addEventListener('click', async () => {
    try { await api('/api/logout', { method: 'POST' }); } finally { location.assign('/signin'); }
  });
  return user;
}

/** Shows a message in the page's status area (role=alert for errors so screen readers announce it). */
export function say(text, kind = 'info', target = 'message') {
  const box = document.getElementById(target);
  box.textContent = text;
  box.className = 'message ' + kind;
  box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  box.hidden = !text;
}

/** Creates an element: el('a', {href: '/x'}, 'text', child…). Text is always set as text, never as HTML. */
export function el(tag, attributes = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : v);
  for (const c of children) if (c !== undefined && c !== null) e.append(c);
  return e;
}

export const percent = p => (100 * p).toFixed(1) + '%';
export const when = iso => iso ? iso.replace('T', ' ').replace(/\.\d+/, '').replace('Z', ' UTC').replace(/\+00:00$/, ' UTC') : '';
