// Every signed-in page first makes sure the access token is not about to expire, the way RingCentral's SDK
// does (60 s ahead by default): refreshing before a call fails beats reacting to a 401 after it.
import type { RequestHandler } from 'express';
import { isExpiring } from '../auth/token-set.js';
import { AppError } from '../errors.js';
import { endSession, type AuthSession } from './session.js';
import type { TokenRefresher } from './token-refresher.js';

export interface AutoRefreshDeps {
  readonly authSession: AuthSession;
  readonly refresher: TokenRefresher;
  readonly windowMs: number;
  readonly cookie: { readonly name: string; readonly path: string; readonly secure: boolean };
  readonly now?: () => number;
}

export function createAutoRefresh({
  authSession,
  refresher,
  windowMs,
  cookie,
  now = Date.now,
}: AutoRefreshDeps): RequestHandler {
  return async function refreshIfExpiring(req, res, next) {
    // Pages only: POST /refresh refreshes by itself, and logging out needs no fresh token.
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const state = authSession.state(req);
    if (state === undefined || !isExpiring(state.token, now(), windowMs)) return next();
    // Only now are the tokens needed, so only now are they decrypted.
    const auth = authSession.read(req);
    if (auth === undefined) return next();
    try {
      await refresher.refresh(req, auth);
      res.locals['autoRefreshed'] = true;
      next();
    } catch (error) {
      // A dead refresh token cannot come back: sign out here too, then say so (never a 500).
      if (error instanceof AppError && error.code === 'SESSION_ENDED') await endSession(req, res, cookie);
      next(error);
    }
  };
}
