// GET /api/extension and GET /api/call-log: the signed-in user's data, fetched from RingCentral with their
// token on each load. A page (HTML) by default, JSON with `Accept: application/json`; neither ever holds a
// token. Signed out, nothing is called: a browser is sent to sign in and comes back here, JSON gets a 401.
import { Router, type Request, type Response } from 'express';
import { parseReturnTo } from '../auth/return-to.js';
import { AppError } from '../errors/app-error.js';
import { callLogPage, CURRENT_EXTENSION, MAX_CALL_LOG_PER_PAGE } from '../ringcentral/ringcentral-client.js';
import type { AuthSession } from '../session/auth-session.js';
import { toCallLogRows } from './api-view.js';
import { methodNotAllowed } from './method-not-allowed.js';
import { readParam } from './params.js';
import type { CallAsUser } from './user-api.js';

export interface ApiRouterDeps {
  readonly basePath: string;
  readonly authSession: AuthSession;
  readonly callAsUser: CallAsUser;
}

/** Calls per page unless ?perPage= says otherwise: a screenful. */
const DEFAULT_PER_PAGE = 25;
/** RingCentral pages further than anyone clicks; the bound keeps the parameter a small number. */
const MAX_PAGE = 10_000;

export function createApiRouter({ basePath, authSession, callAsUser }: ApiRouterDeps): Router {
  const router = Router();

  /**
   * True when someone is signed in. Otherwise no call to RingCentral: a browser is sent to sign in and comes
   * back to this very page (false: the redirect is sent), a JSON client gets a 401.
   */
  function isSignedIn(req: Request, res: Response): boolean {
    if (authSession.summary(req.session) !== undefined) return true;
    if (wantsJson(req)) throw new AppError('SIGN_IN_REQUIRED', 'Sign in first: this API needs a session.');
    const here = parseReturnTo(req.originalUrl, basePath) ?? `${basePath}${req.path}`;
    res.redirect(303, `${basePath}/login?${new URLSearchParams({ returnTo: here }).toString()}`);
    return false;
  }

  router.get('/api/extension', async (req, res) => {
    if (!isSignedIn(req, res)) return;
    const extension = await callAsUser(req, res, CURRENT_EXTENSION);
    if (wantsJson(req)) return void res.json({ extension });
    res.render('api-extension', { title: 'Your extension', extension });
  });

  router.get('/api/call-log', async (req, res) => {
    // Read first: a bad parameter is a 400 whether signed in or not, and calls nothing.
    const page = readNumber(req, 'page', 1, MAX_PAGE);
    const perPage = readNumber(req, 'perPage', DEFAULT_PER_PAGE, MAX_CALL_LOG_PER_PAGE);
    if (!isSignedIn(req, res)) return;
    const { records, paging } = await callAsUser(req, res, callLogPage(page, perPage));
    if (wantsJson(req)) return void res.json({ records, paging });
    res.render('api-call-log', { title: 'Your call log', rows: toCallLogRows(records), paging, perPage });
  });

  router.all(['/api/extension', '/api/call-log'], methodNotAllowed('GET, HEAD'));
  return router;
}

function wantsJson(req: Request): boolean {
  return req.accepts(['html', 'json']) === 'json';
}

/** A whole number from `min`(1) to `max`, or the default when absent; anything else is a 400. */
function readNumber(req: Request, name: string, fallback: number, max: number): number {
  const raw = readParam(req, name, { maxLength: 6, pattern: /^\d+$/ });
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (value < 1 || value > max)
    throw new AppError('REQUEST_INVALID', `The "${name}" parameter must be a number from 1 to ${max}.`);
  return value;
}
