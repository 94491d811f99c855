// RingCentral's "Auth" rate-limit group for the OAuth endpoints (ringcentral-oauth.md §8): N requests per
// minute per app, then 429 CMN-301 with Retry-After and a 60 s penalty that each request during it restarts.
import type { RequestHandler } from 'express';

const WINDOW_MS = 60_000;
const PENALTY_MS = 60_000;

export function createAuthRateLimit(perMinute: number | undefined, now: () => number): RequestHandler {
  const windows = new Map<string, { startedAt: number; count: number; penaltyUntil: number }>();

  return function limitAuthGroup(req, res, next) {
    if (perMinute === undefined) return next();
    const key = clientKey(req.get('authorization'), req.query['client_id'], req.body);
    const at = now();
    const window = windows.get(key) ?? { startedAt: at, count: 0, penaltyUntil: 0 };
    if (at - window.startedAt >= WINDOW_MS) Object.assign(window, { startedAt: at, count: 0 });
    window.count += 1;
    windows.set(key, window);
    if (at < window.penaltyUntil || window.count > perMinute) {
      window.penaltyUntil = at + PENALTY_MS; // RingCentral: a request during the penalty restarts it
      const body = { errorCode: 'CMN-301', message: 'Request rate exceeded' };
      res
        .status(429)
        .set({ 'Retry-After': String(PENALTY_MS / 1000), 'X-Rate-Limit-Group': 'Auth' })
        .json({ ...body, errors: [body] });
      return;
    }
    next();
  };
}

/** The app the request is for: Basic header, client_id in the query (authorize) or in the form body. */
function clientKey(authorization: string | undefined, queryClientId: unknown, body: unknown): string {
  const basic = /^Basic (.+)$/i.exec(authorization ?? '')?.[1];
  if (basic !== undefined) return Buffer.from(basic, 'base64').toString('utf8').split(':')[0] ?? '';
  if (typeof queryClientId === 'string') return queryClientId;
  return new URLSearchParams(typeof body === 'string' ? body : '').get('client_id') ?? '';
}
