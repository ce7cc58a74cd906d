// Calls to /api/admin/v1 with the operator key in X-Api-Key. The key lives in this tab's sessionStorage only
// (never a cookie, never localStorage), so closing the tab or signing out forgets it. A failure becomes the
// cabinet's ApiError, holding the status and the problem+json body.
import { ApiError } from '../js/api.js';

const base = '/api/admin/v1';
const storageKey = 'bpclub.operatorKey';

export const operatorKey = {
  get: () => sessionStorage.getItem(storageKey),
  set: key => sessionStorage.setItem(storageKey, key),
  forget: () => sessionStorage.removeItem(storageKey),
};

async function toError(response) {
  let problem = null;
  try { problem = await response.json(); } catch { /* not JSON: keep the status alone */ }
  const retry = Number(response.headers.get('Retry-After'));
  return new ApiError(response.status, problem, Number.isFinite(retry) && retry > 0 ? retry : null);
}

/** method, path under /api/admin/v1, optional JSON body; key: the operator key (the stored one by default). */
export async function call(method, path, body, key = operatorKey.get()) {
  const headers = { Accept: 'application/json', 'X-Api-Key': key ?? '' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(base + path, {
      method, headers, credentials: 'omit', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, null, null);
  }
  if (!response.ok) throw await toError(response);
  return { status: response.status, body: response.status === 204 ? null : await response.json() };
}

const segment = encodeURIComponent;

export const admin = {
  /** A harmless read that tells whether a key is an operator's. */
  check: key => call('GET', '/promotions', undefined, key),
  card: number => call('GET', `/cards/${segment(number)}?operations=20`),
  adjust: (number, adjustmentId, points, reason) =>
    call('POST', `/cards/${segment(number)}/adjustments`, { adjustmentId, points, reason }),
  releaseHolds: (number, releaseId, points) =>
    call('POST', `/cards/${segment(number)}/holds/release`, points === null ? { releaseId } : { releaseId, points }),
  saveStation: (id, name, address) => call('PUT', `/stations/${segment(id)}`, { name, address }),
  rotateStationKey: id => call('POST', `/stations/${segment(id)}/key`),
  savePartner: (id, name, pointsPerUah) => call('PUT', `/partners/${segment(id)}`, { name, pointsPerUah }),
  rotatePartnerKey: id => call('POST', `/partners/${segment(id)}/key`),
  promotions: () => call('GET', '/promotions'),
  savePromotion: (id, promotion) => call('PUT', `/promotions/${segment(id)}`, promotion),
  endPromotion: id => call('DELETE', `/promotions/${segment(id)}`),
};

/** A fresh operation id (adjustmentId, releaseId): random, so a retry that reuses it is never counted twice. */
export function operationId(prefix) {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return prefix + '-' + [...bytes].map(b => b.toString(16).padStart(2, '0')).join('');
}
