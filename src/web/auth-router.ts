// The four routes of the sign-in flow: HTTP and the session on one side, the AuthService on the other.
import express, { Router, type Request, type RequestHandler } from 'express';
import { LOGIN_TTL_MS, type AuthService, type CallbackResult } from '../auth/auth-service.js';
import { parseReturnTo } from '../auth/return-to.js';
import { appSettingsWarnings } from '../auth/token-set.js';
import { CALLBACK_PATH, type SessionCookie } from '../config.js';
import { AppError } from '../errors/app-error.js';
import { summaryOf, type AuthSession } from '../session/auth-session.js';
import type { OnceOnly } from '../session/session-backend.js';
import { regenerateSession, saveSession, storeUnavailable } from '../session/session-calls.js';
import type { TokenRefresher } from '../session/token-refresher.js';
import { createCsrfToken, requireCsrfToken } from './csrf.js';
import { toDashboardView } from './dashboard-view.js';
import { stateId, type LoginTransactions } from './login-transaction.js';
import { methodNotAllowed } from './method-not-allowed.js';
import { pageNavigationOnly } from './page-navigation.js';
import { readParam } from './params.js';
import { logOut, refreshOrSignOut } from './sign-out.js';

export interface AuthRouterDeps {
  /** BASE_URL's path ("" at the root): where "home" is, and what returnTo must stay under. */
  readonly basePath: string;
  readonly appOrigin: string;
  readonly authService: AuthService;
  readonly authSession: AuthSession;
  readonly refresher: TokenRefresher;
  readonly sessionCookie: SessionCookie;
  /** Where a started sign-in waits for its callback (a cookie of its own, not the session). */
  readonly loginTransactions: LoginTransactions;
  /** Makes each state redeemable once, even when two copies of a callback arrive together. */
  readonly onceOnly: OnceOnly;
  readonly signInRateLimit: RequestHandler;
  readonly refreshRateLimit: RequestHandler;
  /** Can the session store answer now? A sign-in is not worth starting if its callback cannot be saved. */
  readonly isStoreReady: () => Promise<boolean>;
  readonly now: () => number;
}

// Small forms only: two hidden fields.
const parseForm = express.urlencoded({ extended: false, limit: '2kb', parameterLimit: 5 });

export function createAuthRouter({
  basePath,
  appOrigin,
  authService,
  authSession,
  refresher,
  sessionCookie,
  loginTransactions,
  onceOnly,
  signInRateLimit,
  refreshRateLimit,
  isStoreReady,
  now,
}: AuthRouterDeps): Router {
  const router = Router();
  const home = `${basePath}/`;
  const checkCsrf = requireCsrfToken(appOrigin);

  /** Nothing to refresh or log out of: go to the landing page, change nothing. */
  const redirectIfSignedOut: RequestHandler = function redirectIfSignedOut(req, res, next) {
    const auth = authSession.read(req.session);
    if (auth === undefined) return res.redirect(303, home);
    res.locals.auth = auth;
    next();
  };

  /**
   * GET /login: step 1 of the authorization code flow (RFC 6749 §4.1.1). Remember state + PKCE verifier in
   * a sign-in cookie, then send the browser (302) to RingCentral's consent page. A redirect, never a POST.
   * Nothing is stored on the server: an anonymous request cannot take a signed-in user's place in the store.
   */
  router.get('/login', pageNavigationOnly, signInRateLimit, async (req, res) => {
    // /login itself stores nothing, but the callback must; with the store down, say so now, before the user
    // goes through RingCentral's consent for nothing.
    if (!(await isStoreReady())) throw storeUnavailable(new Error('session store not ready at /login'));
    const returnTo = readReturnTo(req, basePath);
    const { state, pendingLogin, authorizationUrl } = authService.beginLogin(returnTo);
    loginTransactions.remember(res, state, pendingLogin);
    // No body: Express would repeat the URL (with state) in an HTML body; the Location header is enough.
    res.status(302).location(authorizationUrl).end();
  });

  /**
   * GET /oauth/callback: steps 3-4 (RFC 6749 §4.1.2, §4.1.3). Check state, exchange the code server-side,
   * start a fresh session with the tokens, go back to where the user was.
   */
  router.get(CALLBACK_PATH, pageNavigationOnly, signInRateLimit, async (req, res) => {
    const { state, result } = readCallback(req);
    const { login, anyInProgress } = loginTransactions.take(req, res, state);
    // Single use, on every instance: the first copy of this callback claims the state before calling
    // RingCentral; a copy arriving at the same moment (a double click, a retrying proxy) finds it taken.
    const claimed =
      login !== undefined &&
      (await onceOnly.claim(`state:${stateId(state)}`, LOGIN_TTL_MS).catch((error: unknown) => {
        throw storeUnavailable(error);
      }));
    if (!claimed) {
      // Back button (or a repeated callback) after signing in: nothing to do, no token call. Otherwise the
      // state is forged, stale or already used.
      if (authSession.summary(req.session) !== undefined) return res.redirect(303, home);
      throw unknownStateError(login !== undefined || anyInProgress);
    }
    const { tokens, user } = await authService.completeLogin(login, result);
    // A new session id at sign-in, so an id planted before sign-in is worthless (session fixation). An id
    // express-session made during this request is new already: regenerating it would delete a store entry
    // that does not exist and make express-session 1.19 write the session twice (expressjs/session#935).
    if (res.locals.sessionIdIsNew !== true) await regenerateSession(req.session);
    authSession.write(req.session, { tokens, user, signedInAt: now(), lastRefreshedAt: undefined });
    req.session.csrfToken = createCsrfToken();
    // Saved before redirecting: the browser may come back before an end-of-response save finishes.
    await saveSession(req.session);
    req.log.info({ userId: user.id }, 'signed in');
    // Settings only a token reveals: said in the log, where the developer running the app looks.
    for (const warning of appSettingsWarnings(tokens)) req.log.warn(warning);
    res.redirect(303, login.returnTo);
  });

  /** POST /refresh: exchange the refresh token for a new token set now (RFC 6749 §6). */
  router.post('/refresh', parseForm, redirectIfSignedOut, checkCsrf, refreshRateLimit, async (req, res) => {
    const fresh = await refreshOrSignOut(refresher, sessionCookie, req, res, signedIn(res));
    // The dashboard's script asks for JSON to show the result in place: token state only, never a token.
    if (req.accepts(['html', 'json']) === 'json')
      return void res.json({ token: toDashboardView(summaryOf(fresh), now()).token });
    res.redirect(303, `${home}?refreshed=1`);
  });

  /** POST /logout: end the session here, then revoke at RingCentral (best effort). */
  router.post('/logout', parseForm, redirectIfSignedOut, checkCsrf, async (req, res) => {
    await logOut({ authService, refresher, cookie: sessionCookie }, req, res, signedIn(res));
    // A page that says so: the landing page alone looks exactly like a first visit.
    res.redirect(303, `${basePath}/signed-out`);
  });

  router.all(['/login', CALLBACK_PATH], methodNotAllowed('GET, HEAD'));
  router.all(['/refresh', '/logout'], methodNotAllowed('POST'));

  return router;
}

/** What redirectIfSignedOut found; it runs before every handler that calls this. */
function signedIn(res: { locals: Express.Locals }) {
  const { auth } = res.locals;
  if (auth === undefined) throw new AppError('INTERNAL', 'redirectIfSignedOut did not run first.');
  return auth;
}

/** The routes of this router: never a place to come back to after signing in. */
const FLOW_PATHS = ['/login', CALLBACK_PATH, '/refresh', '/logout'];

function readReturnTo(req: Request, basePath: string): string {
  const raw = readParam(req, 'returnTo', { maxLength: 2048 });
  if (raw === undefined) return `${basePath}/`;
  const returnTo = parseReturnTo(raw, basePath, FLOW_PATHS);
  if (returnTo === undefined) {
    const reason =
      'The "returnTo" address must be a page of this site, such as /dashboard, and not part of the sign-in itself.';
    throw new AppError('RETURN_TO_INVALID', reason);
  }
  return returnTo;
}

/** Tells "this browser has no sign-in in progress" (cookie lost) from "not this one" (replayed or forged). */
function unknownStateError(anyInProgress: boolean): AppError {
  if (!anyInProgress) {
    const reason = 'The callback arrived without a sign-in cookie: this browser has no sign-in in progress.';
    return new AppError('LOGIN_SESSION_LOST', reason);
  }
  const reason = 'No sign-in with this state was started in this browser, or it was already finished.';
  return new AppError('LOGIN_STATE_MISMATCH', reason);
}

/** The callback's query, checked once: a state, and either a code or RingCentral's error. */
function readCallback(req: Request): { state: string; result: CallbackResult } {
  const state = readParam(req, 'state', { maxLength: 512, pattern: /^[A-Za-z0-9_-]+$/ });
  const code = readParam(req, 'code', { maxLength: 2048 });
  const error = readParam(req, 'error', { maxLength: 128, pattern: /^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/ });
  const errorDescription = readParam(req, 'error_description', { maxLength: 1024 });
  readParam(req, 'expires_in', { maxLength: 10, pattern: /^\d+$/ });
  if (state === undefined) {
    const reason = 'The sign-in answer has no "state" parameter, so it cannot be matched to a sign-in.';
    throw new AppError('LOGIN_STATE_MISSING', reason);
  }
  // RFC 6749 §4.1.2.1: an error answer wins even if a code came with it, so no token call is made.
  if (error !== undefined) return { state, result: { kind: 'error', error, errorDescription } };
  if (code !== undefined) return { state, result: { kind: 'code', code } };
  throw new AppError('REQUEST_INVALID', 'The sign-in answer has neither a "code" nor an "error".');
}
