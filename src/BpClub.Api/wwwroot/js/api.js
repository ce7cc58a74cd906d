// Calls to /api/cabinet/v1 with the session cookie. Every change carries the anti-forgery token;
// a failure becomes an ApiError holding the status and the problem+json body, never a stack trace.

const base = '/api/cabinet/v1';

export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super(problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
    this.retryAfter = retryAfter;
  }
}

async function antiforgeryToken() {
  const response = await fetch(`${base}/antiforgery`, { credentials: 'same-origin', cache: 'no-store' });
  if (!response.ok) throw await toError(response);
  return (await response.json()).token;
}

async function toError(response) {
  let problem = null;
  try { problem = await response.json(); } catch { /* not JSON: keep the status alone */ }
  const retry = Number(response.headers.get('Retry-After'));
  return new ApiError(response.status, problem, Number.isFinite(retry) && retry > 0 ? retry : null);
}

/** method, path under /api/cabinet/v1, optional JSON body; member: whether the call is made as the signed-in member. */
export async function call(method, path, body, { member = true } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (member && method !== 'GET') headers['X-CSRF-TOKEN'] = await antiforgeryToken();
  let response;
  try {
    response = await fetch(base + path, {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, null, null);
  }
  if (!response.ok) throw await toError(response);
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') ?? '';
  return type.includes('json') ? response.json() : null;
}

export const api = {
  signIn: (phone, password) => call('POST', '/sessions', { phone, password }, { member: false }),
  signOut: () => call('DELETE', '/sessions/current'),
  startRegistration: (cardNumber, phone, password, cardCode) =>
    call('POST', '/registrations', { cardNumber, phone, password, cardCode }, { member: false }),
  confirmRegistration: (id, code) => call('POST', `/registrations/${encodeURIComponent(id)}/confirm`, { code }, { member: false }),
  startReset: phone => call('POST', '/password-resets', { phone }, { member: false }),
  confirmReset: (id, code, newPassword) => call('POST', `/password-resets/${encodeURIComponent(id)}/confirm`, { code, newPassword }, { member: false }),
  changePassword: (currentPassword, newPassword) => call('PUT', '/password', { currentPassword, newPassword }),
  switchSpending: (enabled, password) => call('PUT', '/spending', enabled ? { enabled, password } : { enabled }),
  me: () => call('GET', '/me'),
  balance: () => call('GET', '/balance'),
  tier: () => call('GET', '/tier'),
  history: (limit, cursor, filter = {}) => call('GET', `/history?${historyQuery({ limit, cursor, ...filter })}`),
  /** The CSV download's address for a filter ({ kind, from, to }): a plain link, sent with the session cookie. */
  historyCsvUrl: (filter = {}) => `${base}/history.csv?${historyQuery(filter)}`,
  balanceEventsUrl: `${base}/balance/events`,
  // Self-service: the profile, the data download (a plain link with the cookie), leaving the programme.
  updateProfile: change => call('PATCH', '/me', change),
  exportUrl: `${base}/export`,
  terminate: password => call('POST', '/termination', { password }),
  // Changing the phone: the new phone and the password, then the code sent to that phone.
  startPhoneChange: (phone, password) => call('PUT', '/phone', { phone, password }),
  confirmPhoneChange: (id, code) => call('POST', `/phone-changes/${encodeURIComponent(id)}/confirm`, { code }),
  // A lost or damaged card: 201 with the new card, or 202 { replacementId } when a code went to the phone.
  replaceCard: (newCardNumber, cardCode) => call('POST', '/card-replacements', { newCardNumber, cardCode }),
  confirmReplacement: (id, code) => call('POST', `/card-replacements/${encodeURIComponent(id)}/confirm`, { code }),
  partners: () => call('GET', '/partners'),
  offers: () => call('GET', '/offers'),
};

/** The history's query string: only the parts that are set. */
function historyQuery(parts) {
  return new URLSearchParams(Object.entries(parts).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString();
}
