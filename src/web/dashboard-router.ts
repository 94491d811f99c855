// GET /: the signed-out landing page, or the signed-in dashboard of token state. It only reads the session
// (a page that wrote it could put back tokens a concurrent refresh replaced) and makes no call to RingCentral.
import { Router } from 'express';
import type { AuthSession } from '../session/auth-session.js';
import { toDashboardView } from './dashboard-view.js';

const SESSION_EXPIRED_NOTICE =
  'You were signed out because your session reached its time limit. Sign in again to continue.';

export interface DashboardRouterDeps {
  readonly authSession: AuthSession;
  readonly serverUrl: string;
  readonly now: () => number;
}

export function createDashboardRouter({ authSession, serverUrl, now }: DashboardRouterDeps): Router {
  const router = Router();

  router.get('/', (req, res) => {
    const summary = authSession.summary(req.session);
    if (summary === undefined) {
      return res.render('home', {
        title: 'Sign in with RingCentral',
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

  return router;
}

function noticeFor(refreshedParam: unknown, autoRefreshed: boolean): string | undefined {
  if (autoRefreshed) return 'The access token was about to expire, so it was refreshed automatically.';
  if (refreshedParam === '1') return 'The access token was refreshed.';
  return undefined;
}
