// Rate limits of our own, in front of RingCentral's. Both answer with a page (or JSON) saying how long to
// wait, and a Retry-After header.
//  - Sign-in (/login, /oauth/callback) per client address: a flood of sign-ins would spend the app's
//    RingCentral Auth quota. req.ip follows X-Forwarded-For only from a trusted proxy (TRUST_PROXY), so a
//    client cannot pick its own bucket.
//  - POST /refresh per session: RingCentral's Auth group allows about 5 calls a minute per user and app
//    (ringcentral-oauth.md §8), and a refresh, the automatic ones and the revoke at logout all count.
import type { Request, RequestHandler } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import { AppError, type ErrorCode } from '../errors/app-error.js';

/** Manual refreshes per session per minute: below RingCentral's 5, leaving room for automatic ones and logout. */
export const REFRESHES_PER_MINUTE = 3;

const WINDOW_MS = 60_000;

/** Where the counters live: undefined for this process, a shared store (Redis) for every instance. */
export type RateLimitStores = ((name: string) => Store) | undefined;

export function createSignInRateLimit(
  perMinute: number,
  now: () => number,
  stores: RateLimitStores,
): RequestHandler {
  if (perMinute === 0) return (_req, _res, next) => next();
  return limitPerMinute(perMinute, now, stores?.('signin'), {
    code: 'SIGNIN_RATE_LIMITED',
    message: 'Too many sign-in attempts from this address.',
  });
}

/** Keyed by session: it runs only after the request was found signed in (and its form token checked). */
export function createRefreshRateLimit(now: () => number, stores: RateLimitStores): RequestHandler {
  return limitPerMinute(REFRESHES_PER_MINUTE, now, stores?.('refresh'), {
    code: 'REFRESH_RATE_LIMITED',
    message: 'Too many refreshes of this session in a minute.',
    key: (req) => req.sessionID,
  });
}

function limitPerMinute(
  limit: number,
  now: () => number,
  store: Store | undefined,
  error: { code: ErrorCode; message: string; key?: (req: Request) => string },
): RequestHandler {
  return rateLimit({
    windowMs: WINDOW_MS,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    ...(error.key === undefined ? {} : { keyGenerator: error.key }),
    // Shared by every instance with Redis (whose store lets requests through while Redis is away).
    ...(store === undefined ? {} : { store }),
    // Its start-up checks write to the console; the settings are documented and validated by our config.
    validate: false,
    handler(req, _res, next) {
      const resetAt = (
        req as typeof req & { rateLimit?: { resetTime?: Date } }
      ).rateLimit?.resetTime?.getTime();
      const retryAfterSeconds = Math.max(1, Math.ceil(((resetAt ?? now() + WINDOW_MS) - now()) / 1000));
      next(new AppError(error.code, error.message, { retryAfterSeconds }));
    },
  });
}
