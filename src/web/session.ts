// What the app keeps in the server-side session, and promise wrappers for express-session's callbacks.
import { promisify } from 'node:util';
import type { Request } from 'express';
import type { PendingLogins } from '../auth/pending-logins.js';
import type { UserProfile } from '../auth/auth-service.js';
import type { TokenSet } from '../auth/token-set.js';

export interface SignedInSession {
  readonly tokens: TokenSet;
  readonly user: UserProfile;
  readonly signedInAt: number;
  readonly lastRefreshedAt: number | undefined;
}

declare module 'express-session' {
  interface SessionData {
    /** Started, unfinished sign-ins keyed by state: the PKCE verifier and where to go afterwards. */
    pendingLogins: PendingLogins;
    /** Present only when signed in. Tokens never leave the server. */
    auth: SignedInSession;
    /** Synchronizer token for the Refresh and Log out forms. */
    csrfToken: string;
    /** One-time message for the next page (e.g. "Token refreshed"). */
    notice: string;
  }
}

export function regenerateSession(req: Request): Promise<void> {
  return promisify(req.session.regenerate.bind(req.session))();
}

/** express-session saves at the end of the response; a redirect must not race that (README: "save()"). */
export function saveSession(req: Request): Promise<void> {
  return promisify(req.session.save.bind(req.session))();
}

export function destroySession(req: Request): Promise<void> {
  return promisify(req.session.destroy.bind(req.session))();
}

export function signedIn(req: Request): SignedInSession | undefined {
  return req.session.auth;
}
