// The four routes of the sign-in flow: HTTP and the session on one side, the AuthService on the other.
import express, { Router, type Request, type RequestHandler } from 'express';
import { LOGIN_TTL_MS, type AuthService } from '../auth/auth-service.js';
import { addPendingLogin, takePendingLogin } from '../auth/pending-logins.js';
import { parseReturnTo } from '../auth/return-to.js';
import { CALLBACK_PATH } from '../config.js';
import { AppError } from '../errors.js';
import { createCsrfToken, requireCsrfToken } from './csrf.js';
import { methodNotAllowed } from './method-not-allowed.js';
import { toDashboardView } from './dashboard-view.js';
import { readParam } from './params.js';
import {
  endSession,
  regenerateSession,
  saveSession,
  stateOf,
  type AuthSession,
  type SignedInSession,
} from './session.js';
import type { TokenRefresher } from './token-refresher.js';

export interface AuthRouterDeps {
  /** BASE_URL's path ("" at the root): where "home" is, and what returnTo must stay under. */
  readonly basePath: string;
  readonly authService: AuthService;
  readonly authSession: AuthSession;
  readonly refresher: TokenRefresher;
  readonly appOrigin: string;
  readonly sessionCookie: { readonly name: string; readonly path: string; readonly secure: boolean };
  readonly signInRateLimit: RequestHandler;
  readonly now?: () => number;
}

// Small forms only: two hidden fields.
const parseForm = express.urlencoded({ extended: false, limit: '2kb', parameterLimit: 5 });

export function createAuthRouter({
  basePath,
  authService,
  authSession,
  refresher,
  signInRateLimit,
  appOrigin,
  sessionCookie,
  now = Date.now,
}: AuthRouterDeps): Router {
  const router = Router();
  const home = `${basePath}/`;
  const checkCsrf = requireCsrfToken(appOrigin);

  /** Nothing to refresh or log out of: go to the landing page, change nothing. */
  const redirectIfSignedOut: RequestHandler = function redirectIfSignedOut(req, res, next) {
    const auth = authSession.read(req);
    if (auth === undefined) return res.redirect(303, home);
    res.locals['auth'] = auth;
    next();
  };

  /**
   * GET /login: step 1 of the authorization code flow (RFC 6749 §4.1.1). Remember state + PKCE verifier in
   * the session, then send the browser (302) to RingCentral's consent page. A redirect, never a POST.
   */
  router.get('/login', signInRateLimit, async (req, res) => {
    const returnTo = readReturnTo(req, basePath);
    const { state, pendingLogin, authorizationUrl } = authService.beginLogin(returnTo);
    req.session.pendingLogins = addPendingLogin(
      req.session.pendingLogins,
      state,
      pendingLogin,
      now(),
      LOGIN_TTL_MS,
    );
    // Saved before redirecting: the browser may come back before an end-of-response save finishes.
    await saveSession(req);
    // No body: Express would repeat the URL (with state) in an HTML body; the Location header is enough.
    res.status(302).location(authorizationUrl).end();
  });

  /**
   * GET /oauth/callback: steps 3-4 (RFC 6749 §4.1.2, §4.1.3). Check state, exchange the code server-side,
   * start a fresh session with the tokens, go back to where the user was.
   */
  router.get(CALLBACK_PATH, signInRateLimit, async (req, res) => {
    const callback = readCallback(req);
    const { login, remaining } = takePendingLogin(req.session.pendingLogins, callback.state);
    if (login === undefined) {
      // Back button after signing in: nothing to do, no token call. Otherwise the state is forged or stale.
      if (authSession.state(req) !== undefined) return res.redirect(303, home);
      throw unknownStateError(req);
    }
    // Single use: forget this state before calling RingCentral, so a replayed callback cannot redeem twice.
    req.session.pendingLogins = remaining;
    await saveSession(req);
    const { tokens, user } = await authService.completeLogin(login, callback);
    // A new session id at sign-in, so an id planted before sign-in is worthless (session fixation).
    await regenerateSession(req);
    authSession.write(req, { tokens, user, signedInAt: now(), lastRefreshedAt: undefined });
    req.session.csrfToken = createCsrfToken();
    await saveSession(req);
    req.log.info({ userId: user.id }, 'signed in');
    res.redirect(303, login.returnTo);
  });

  /** POST /refresh: exchange the refresh token for a new token set now (RFC 6749 §6). */
  router.post('/refresh', parseForm, redirectIfSignedOut, checkCsrf, async (req, res) => {
    let fresh: SignedInSession;
    try {
      fresh = await refresher.refresh(req, res.locals['auth'] as SignedInSession);
    } catch (error) {
      // A dead refresh token cannot come back to life: sign out here too, then show why.
      if (error instanceof AppError && error.code === 'SESSION_ENDED')
        await endSession(req, res, sessionCookie);
      throw error;
    }
    // The dashboard's script asks for JSON to show the result in place: token state only, never a token.
    if (req.accepts(['html', 'json']) === 'json')
      return void res.json({ token: toDashboardView(stateOf(fresh), now()).token });
    res.redirect(303, `${home}?refreshed=1`);
  });

  /** POST /logout: revoke at RingCentral (best effort), then end the session here whatever happened there. */
  router.post('/logout', parseForm, redirectIfSignedOut, checkCsrf, async (req, res) => {
    const outcome = await authService.logout((res.locals['auth'] as SignedInSession).tokens);
    if (!outcome.revoked) {
      // Only the code and RingCentral's error: never the token or the axios error (it holds the header).
      const { code, provider } = outcome.failure;
      req.log.warn({ code, provider }, 'token revocation failed; signed out locally anyway');
    }
    await endSession(req, res, sessionCookie);
    res.redirect(303, home);
  });

  router.all(['/login', CALLBACK_PATH], methodNotAllowed('GET, HEAD'));
  router.all(['/refresh', '/logout'], methodNotAllowed('POST'));

  return router;
}

function readReturnTo(req: Request, basePath: string): string {
  const raw = readParam(req, 'returnTo', { maxLength: 2048 });
  if (raw === undefined) return `${basePath}/`;
  const returnTo = parseReturnTo(raw, basePath);
  if (returnTo === undefined) {
    throw new AppError(
      'RETURN_TO_INVALID',
      'The "returnTo" address must be a path on this site, such as /dashboard.',
      {
        status: 400,
      },
    );
  }
  return returnTo;
}

/** Tells "this browser never started a sign-in" (cookie lost) from "not this one" (replayed or forged). */
function unknownStateError(req: Request): AppError {
  if (req.session.pendingLogins === undefined) {
    const reason =
      'The callback arrived in a browser session that never started a sign-in (no session cookie came back).';
    return new AppError('LOGIN_SESSION_LOST', reason, { status: 400 });
  }
  const reason =
    'No sign-in with this state was started in this browser session, or it was already finished.';
  return new AppError('LOGIN_STATE_MISMATCH', reason, { status: 400 });
}

function readCallback(req: Request) {
  const state = readParam(req, 'state', { maxLength: 512, pattern: /^[A-Za-z0-9_-]+$/ });
  const code = readParam(req, 'code', { maxLength: 2048 });
  const error = readParam(req, 'error', { maxLength: 128, pattern: /^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/ });
  const errorDescription = readParam(req, 'error_description', { maxLength: 1024 });
  readParam(req, 'expires_in', { maxLength: 10, pattern: /^\d+$/ });
  if (state === undefined) {
    const reason = 'The sign-in answer has no "state" parameter, so it cannot be matched to a sign-in.';
    throw new AppError('LOGIN_STATE_MISSING', reason, { status: 400 });
  }
  if (code === undefined && error === undefined) {
    throw new AppError('REQUEST_INVALID', 'The sign-in answer has neither a "code" nor an "error".', {
      status: 400,
    });
  }
  return { state, code, error, errorDescription };
}
