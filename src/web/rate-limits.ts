// Rate limit for the sign-in routes (/login, /oauth/callback) per client address: a flood of sign-ins would
// fill the session store with pending logins and spend the app's RingCentral Auth quota. req.ip follows
// X-Forwarded-For only from a trusted proxy (TRUST_PROXY), so a client cannot pick its own bucket.
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { AppError } from '../errors/app-error.js';

export function createSignInRateLimit(perMinute: number, now: () => number): RequestHandler {
  if (perMinute === 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // Its start-up checks write to the console; the setting is documented and validated by our config.
    validate: false,
    handler(req, _res, next) {
      const resetAt = (
        req as typeof req & { rateLimit?: { resetTime?: Date } }
      ).rateLimit?.resetTime?.getTime();
      const retryAfterSeconds = Math.max(1, Math.ceil(((resetAt ?? now() + 60_000) - now()) / 1000));
      next(
        new AppError('SIGNIN_RATE_LIMITED', 'Too many sign-in attempts from this address.', {
          retryAfterSeconds,
        }),
      );
    },
  });
}
