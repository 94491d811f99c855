// RingCentral's rate limits (ringcentral-oauth.md §8, §12), on by default as RingCentral's are: the OAuth
// endpoints are group Auth, counted per app; API calls count per user and app in their group (Light, Heavy).
// Past the quota every request answers 429 CMN-301 with Retry-After for a 60 s penalty, and each request
// made during the penalty starts it again: a client must wait the whole Retry-After.
import type { RequestHandler, Response } from 'express';
import { ApiError } from './emulator-errors.js';

/** Requests per minute for each group; RingCentral's documented example defaults below. */
export interface RateLimits {
  readonly auth: number;
  readonly heavy: number;
  readonly light: number;
}

export const RINGCENTRAL_RATE_LIMITS: RateLimits = { auth: 5, heavy: 10, light: 50 };

/** For tests and load tests that sign in far more often than a person does. */
export const RELAXED_RATE_LIMITS: RateLimits = { auth: 100_000, heavy: 100_000, light: 100_000 };

export type ApiGroup = 'Heavy' | 'Light';

const WINDOW_MS = 60_000;
const PENALTY_MS = 60_000;
/** Counters kept before finished ones are forgotten, so a long load test does not grow the map without end. */
const MAX_COUNTERS = 10_000;

interface Counter {
  startedAt: number;
  count: number;
  penaltyUntil: number;
}

export function createRateLimits(limits: RateLimits, now: () => number) {
  const counters = new Map<string, Counter>();

  function forgetFinished(at: number) {
    if (counters.size < MAX_COUNTERS) return;
    for (const [key, counter] of counters) {
      if (at - counter.startedAt >= WINDOW_MS && at >= counter.penaltyUntil) counters.delete(key);
    }
  }

  /** Counts one request; false when it is over the quota or inside the penalty (which it then restarts). */
  function take(key: string, limit: number): { allowed: boolean; remaining: number } {
    const at = now();
    forgetFinished(at);
    const counter = counters.get(key) ?? { startedAt: at, count: 0, penaltyUntil: 0 };
    if (at - counter.startedAt >= WINDOW_MS) Object.assign(counter, { startedAt: at, count: 0 });
    counter.count += 1;
    counters.set(key, counter);
    if (at < counter.penaltyUntil || counter.count > limit) {
      counter.penaltyUntil = at + PENALTY_MS;
      return { allowed: false, remaining: 0 };
    }
    return { allowed: true, remaining: limit - counter.count };
  }

  function setHeaders(res: Response, group: string, limit: number, remaining: number) {
    res.set({
      'X-Rate-Limit-Group': group,
      'X-Rate-Limit-Limit': String(limit),
      'X-Rate-Limit-Remaining': String(remaining),
      'X-Rate-Limit-Window': String(WINDOW_MS / 1000),
    });
  }

  return {
    /** Middleware for /restapi/oauth/*: the Auth group, per app. */
    authGroup: function limitAuthGroup(req, res, next) {
      const key = `Auth ${clientKey(req.get('authorization'), req.query['client_id'], req.body)}`;
      const { allowed, remaining } = take(key, limits.auth);
      setHeaders(res, 'Auth', limits.auth, remaining);
      if (allowed) return next();
      res.set('Retry-After', String(PENALTY_MS / 1000));
      const error = rateExceeded();
      res.status(error.status).json(error.toBody());
    } satisfies RequestHandler,

    /** One API call of `group` by this user of this app; throws RingCentral's 429 when over. */
    countApiCall(res: Response, group: ApiGroup, clientId: string, userId: string): void {
      const limit = group === 'Heavy' ? limits.heavy : limits.light;
      const { allowed, remaining } = take(`${group} ${clientId} ${userId}`, limit);
      setHeaders(res, group, limit, remaining);
      if (allowed) return;
      res.set('Retry-After', String(PENALTY_MS / 1000));
      throw rateExceeded();
    },
  };
}

function rateExceeded(): ApiError {
  return new ApiError(429, 'CMN-301', 'CMN-301', 'Request rate exceeded');
}

/** The app the request is for: Basic header, client_id in the query (authorize) or in the form body. */
function clientKey(authorization: string | undefined, queryClientId: unknown, body: unknown): string {
  const basic = /^Basic (.+)$/i.exec(authorization ?? '')?.[1];
  if (basic !== undefined) return Buffer.from(basic, 'base64').toString('utf8').split(':')[0] ?? '';
  if (typeof queryClientId === 'string') return queryClientId;
  return new URLSearchParams(typeof body === 'string' ? body : '').get('client_id') ?? '';
}
