// What middleware hands on to later middleware through res.locals, typed in one place so a reader can see
// every hand-off. (The views' one app-wide value, app.locals.basePath, is set in app.ts.)
import type { SignedInSession } from '../session/auth-session.js';

declare global {
  // Express's own extension point for locals (@types/express-serve-static-core).
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** POST /refresh and /logout: the signed-in session, read once by redirectIfSignedOut. */
      auth?: SignedInSession;
      /** Set by auto-refresh when this page's request refreshed the tokens first. */
      autoRefreshed?: boolean;
      /** Set by session-lifetime when this request ended a session past its absolute lifetime. */
      sessionExpired?: boolean;
      /**
       * Set by the session middleware when express-session made this request's session id (none came in,
       * the store no longer had it, or the session was regenerated): an id nobody else can know yet.
       */
      sessionIdIsNew?: boolean;
    }
  }
}
