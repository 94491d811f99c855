// The absolute session lifetime (OWASP session management, "Absolute Timeout"): a sign-in lasts at most
// SESSION_TTL_SECONDS, however active it is, and a token refresh does not extend it. express-session has no
// such limit (its store TTL is the idle timeout, renewed by activity), so every request checks the sign-in
// time here. Past the limit the tokens are revoked, best effort, and the request carries on in a fresh,
// signed-out session: a page says why, and /login simply starts over.
import type { RequestHandler } from 'express';
import type { AuthService } from '../auth/auth-service.js';
import type { AuthSession } from '../session/auth-session.js';
import { regenerateSession } from '../session/session-calls.js';
import { revokeTokens } from './sign-out.js';

export interface SessionLifetimeDeps {
  readonly authSession: AuthSession;
  readonly authService: AuthService;
  readonly lifetimeMs: number;
  readonly now: () => number;
}

export function createSessionLifetime({
  authSession,
  authService,
  lifetimeMs,
  now,
}: SessionLifetimeDeps): RequestHandler {
  return async function endSessionPastLifetime(req, res, next) {
    const summary = authSession.summary(req.session);
    if (summary === undefined || now() - summary.signedInAt < lifetimeMs) return next();
    const auth = authSession.read(req.session);
    if (auth !== undefined) await revokeTokens(authService, req, auth.tokens, 'at the session lifetime');
    // A new, empty session: the old entry is deleted from the store, and nothing is stored again (nor a
    // cookie sent) unless this request signs in anew.
    await regenerateSession(req.session);
    req.log.info('session reached its lifetime; signed out');
    res.locals.sessionExpired = true;
    next();
  };
}
