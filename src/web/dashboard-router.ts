// GET /: the signed-out landing page, or the signed-in dashboard of token state; GET /signed-out after logout. It only reads the session
// (a page that wrote it could put back tokens a concurrent refresh replaced) and makes no call to RingCentral.
import { Router } from 'express';
import type { AuthSession } from '../session/auth-session.js';
import { toDashboardView } from './dashboard-view.js';

const SESSION_EXPIRED_NOTICE =
  'You were signed out because your session reached its time limit. Sign in again to continue.';

export interface DashboardRouterDeps {
  readonly basePath: string;
  readonly authSession: AuthSession;
  readonly serverUrl: string;
  readonly now: () => number;
}

export function createDashboardRouter({
  basePath,
  authSession,
  serverUrl,
  now,
}: DashboardRouterDeps): Router {
  const router = Router();

  router.get('/', (req, res) => {
    const summary = authSession.summary(req.session);
    if (summary === undefined) {
      return res.render('home', {
        title: 'Sign in with RingCentral',
        heading: undefined,
        serverUrl,
        notice: res.locals.sessionExpired === true ? SESSION_EXPIRED_NOTICE : undefined,
      });
    }
    res.render('dashboard', {
      title: 'Your RingCentral session',
      csrfToken: req.session.csrfToken,
      notice: noticeFor(req.query['refreshed'], res.locals.autoRefreshed === true),
      ...toDashboardView(summary, now()),
    });
  });

  /** Where Log out lands: it says the person is signed out, and offers signing in again. */
  router.get('/signed-out', (req, res) => {
    if (authSession.summary(req.session) !== undefined) return res.redirect(303, `${basePath}/`);
    res.render('home', {
      title: 'You are signed out',
      heading: 'You are signed out',
      serverUrl,
      notice: undefined,
    });
  });

  return router;
}

function noticeFor(refreshedParam: unknown, autoRefreshed: boolean): string | undefined {
  if (autoRefreshed) return 'The access token was about to expire, so it was refreshed automatically.';
  if (refreshedParam === '1') return 'The access token was refreshed.';
  return undefined;
}
