// The absolute session lifetime (OWASP session management, "Absolute Timeout"): a sign-in lasts at most
// SESSION_TTL_SECONDS, however active it is, and a token refresh does not extend it. express-session has no
// such limit (its store TTL is the idle timeout, renewed by activity), so every request checks the sign-in
// time here. Past the limit the tokens are revoked, best effort, and the request carries on in a fresh,
// signed-out session: a page says why, and /login simply starts over.
import type { RequestHandler } from 'express';
import type { AuthService } from '../auth/auth-service.js';
import { regenerateSession, type AuthSession } from './session.js';

export interface SessionLifetimeDeps {
  readonly authSession: AuthSession;
  readonly authService: AuthService;
  readonly lifetimeMs: number;
  readonly now?: () => number;
}

export function createSessionLifetime({
  authSession,
  authService,
  lifetimeMs,
  now = Date.now,
}: SessionLifetimeDeps): RequestHandler {
  return async function endSessionPastLifetime(req, res, next) {
    const state = authSession.state(req);
    if (state === undefined || now() - state.signedInAt < lifetimeMs) return next();
    const auth = authSession.read(req);
    if (auth !== undefined) {
      const outcome = await authService.logout(auth.tokens);
      // Only the code and RingCentral's error: never the token or the axios error (it holds the header).
      if (!outcome.revoked) {
        const { code, provider } = outcome.failure;
        req.log.warn({ code, provider }, 'token revocation failed at the session lifetime');
      }
    }
    // A new, empty session: the old entry is deleted from the store, and nothing is stored again (nor a
    // cookie sent) unless this request signs in anew.
    await regenerateSession(req);
    req.log.info('session reached its lifetime; signed out');
    res.locals['sessionExpired'] = true;
    next();
  };
}
