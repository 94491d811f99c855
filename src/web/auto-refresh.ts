// Every signed-in page first makes sure the access token is not about to expire, the way RingCentral's SDK
// does (60 s ahead by default): refreshing before a call fails beats reacting to a 401 after it.
import type { RequestHandler } from 'express';
import { isExpiring } from '../auth/token-set.js';
import type { SessionCookie } from '../config.js';
import type { AuthSession } from '../session/auth-session.js';
import type { TokenRefresher } from '../session/token-refresher.js';
import { refreshOrSignOut } from './sign-out.js';

export interface AutoRefreshDeps {
  readonly authSession: AuthSession;
  readonly refresher: TokenRefresher;
  readonly windowMs: number;
  readonly cookie: SessionCookie;
  readonly now: () => number;
}

export function createAutoRefresh({
  authSession,
  refresher,
  windowMs,
  cookie,
  now,
}: AutoRefreshDeps): RequestHandler {
  return async function refreshIfExpiring(req, res, next) {
    // Pages only: POST /refresh refreshes by itself, and logging out needs no fresh token.
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const summary = authSession.summary(req.session);
    if (summary === undefined || !isExpiring(summary.token, now(), windowMs)) return next();
    // Only now are the tokens needed, so only now are they decrypted.
    const auth = authSession.read(req.session);
    if (auth === undefined) return next();
    // A dead refresh token signs out here too; the error page then says why (never a 500).
    await refreshOrSignOut(refresher, cookie, req, res, auth);
    res.locals.autoRefreshed = true;
    next();
  };
}
