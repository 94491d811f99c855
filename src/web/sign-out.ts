// Every way a signed-in session ends, in one place: Log out, the absolute lifetime, and a refresh token
// that RingCentral no longer accepts.
import type { Request, Response } from 'express';
import type { AuthService } from '../auth/auth-service.js';
import type { TokenSet } from '../auth/token-set.js';
import type { SessionCookie } from '../config.js';
import { AppError } from '../errors/app-error.js';
import type { SignedInSession } from '../session/auth-session.js';
import { destroySession } from '../session/session-calls.js';
import type { TokenRefresher } from '../session/token-refresher.js';

/** Revokes at RingCentral, best effort: a failure is logged and the sign-out goes on (RingCentral's advice). */
export async function revokeTokens(
  authService: AuthService,
  req: Request,
  tokens: TokenSet,
  when: 'at logout' | 'at the session lifetime',
): Promise<void> {
  const outcome = await authService.logout(tokens);
  if (outcome.revoked) return;
  // Only the code and RingCentral's error: never the token or the axios error (it holds the header).
  const { code, provider } = outcome.failure;
  req.log.warn({ code, provider }, `token revocation failed ${when}; signed out locally anyway`);
}

/** Ends the session here: destroyed in the store, cookie cleared with the attributes it was set with. */
export async function endSession(req: Request, res: Response, cookie: SessionCookie): Promise<void> {
  await destroySession(req.session);
  clearSessionCookie(res, cookie);
}

/**
 * Log out: the session ends first, after any refresh in flight (on any instance), and then the newest tokens
 * it held are revoked at RingCentral, best effort. Revoking ends RingCentral's whole token session, so the
 * tokens it replaced go with them.
 */
export async function logOut(
  deps: { authService: AuthService; refresher: TokenRefresher; cookie: SessionCookie },
  req: Request,
  res: Response,
  current: SignedInSession,
): Promise<void> {
  const ended = await deps.refresher.end(req.session, () =>
    req.log.info('sign-out waits for a token refresh in progress'),
  );
  clearSessionCookie(res, deps.cookie);
  await revokeTokens(deps.authService, req, (ended ?? current).tokens, 'at logout');
}

function clearSessionCookie(res: Response, cookie: SessionCookie): void {
  res.clearCookie(cookie.name, { path: cookie.path, httpOnly: true, sameSite: 'lax', secure: cookie.secure });
}

/** A refresh; a refresh token that is dead cannot come back to life, so the session ends here too. */
export async function refreshOrSignOut(
  refresher: TokenRefresher,
  cookie: SessionCookie,
  req: Request,
  res: Response,
  current: SignedInSession,
): Promise<SignedInSession> {
  try {
    return await refresher.refresh(req.session, current);
  } catch (error) {
    if (error instanceof AppError && error.code === 'SESSION_ENDED') await endSession(req, res, cookie);
    throw error;
  }
}
