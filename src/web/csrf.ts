// Cross-site request protection for the state-changing POSTs (/refresh, /logout): a per-session
// synchronizer token in each form, plus an Origin check. SameSite=Lax cookies are the first layer; this
// closes what they leave open (older browsers, same-site subdomains).
import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '../errors/app-error.js';
import { randomToken } from '../random-token.js';

export function createCsrfToken(): string {
  return randomToken(32);
}

export function requireCsrfToken(appOrigin: string): RequestHandler {
  return function checkCsrfToken(req, _res, next) {
    const origin = req.get('origin');
    // Under our Referrer-Policy: no-referrer, Chromium sends "Origin: null" even on same-origin form posts,
    // so only an Origin that names a site is compared; the token below is the check that always applies.
    if (origin !== undefined && origin !== 'null' && origin !== appOrigin) {
      return next(forbidden('the request came from another site'));
    }
    const fetchSite = req.get('sec-fetch-site');
    if (fetchSite === 'cross-site' || fetchSite === 'same-site') {
      return next(forbidden('the request came from another site'));
    }
    const sent: unknown = (req.body as Record<string, unknown> | undefined)?.['_csrf'];
    const expected = req.session.csrfToken;
    if (typeof sent !== 'string' || expected === undefined || !sameString(sent, expected)) {
      return next(forbidden('the form token is missing or does not match'));
    }
    next();
  };
}

function sameString(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function forbidden(reason: string): AppError {
  return new AppError('CSRF_INVALID', `Refused because ${reason}.`);
}
