// GET /: the signed-out landing page, or the signed-in dashboard of token state. It reads the session
// only; it makes no call to RingCentral.
import { Router } from 'express';
import { toDashboardView } from './dashboard-view.js';
import { saveSession, type AuthSession } from './session.js';

export interface DashboardRouterDeps {
  readonly authSession: AuthSession;
  readonly serverUrl: string;
  readonly now?: () => number;
}

export function createDashboardRouter({
  authSession,
  serverUrl,
  now = Date.now,
}: DashboardRouterDeps): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const auth = authSession.read(req);
    if (auth === undefined) return res.render('home', { title: 'Sign in with RingCentral', serverUrl });
    const notice = req.session.notice;
    if (notice !== undefined) {
      // Shown once.
      delete req.session.notice;
      await saveSession(req);
    }
    res.render('dashboard', {
      title: 'Your RingCentral session',
      signedIn: true,
      csrfToken: req.session.csrfToken,
      notice,
      ...toDashboardView(auth, now()),
    });
  });

  return router;
}
