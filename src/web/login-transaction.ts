// A started, unfinished sign-in (its PKCE verifier and where to go afterwards) is kept in the browser, in a
// short-lived cookie of its own, sealed with the token key (AES-256-GCM): unreadable and unforgeable there.
// Why not in the session store: /login is anonymous, and anything it stored would share the store (and its
// cap) with signed-in users, so any page could sign people out by loading /login in image tags. Now the
// store holds signed-in sessions only, as express-openid-connect does.
//  - One cookie per sign-in, named after a hash of its state: two tabs signing in at once do not overwrite
//    each other's, and the state itself never sits in a cookie.
//  - Path = the callback: the browser sends it there and nowhere else. HttpOnly, SameSite=Lax (it must come
//    back on RingCentral's cross-site redirect), Secure with an https BASE_URL.
//  - Lives a little longer than a sign-in may take, so a late callback reads "expired", not "lost".
import { createHash } from 'node:crypto';
import { parse as parseCookies } from 'cookie';
import type { Request, Response } from 'express';
import type { PendingLogin } from '../auth/auth-service.js';
import type { TokenVault } from '../session/token-vault.js';

export interface LoginTransactions {
  /** Keeps a sign-in just started until its callback. */
  remember(res: Response, state: string, login: PendingLogin): void;
  /**
   * The sign-in that `state` belongs to, its cookie cleared (one use). Otherwise whether this browser has
   * any sign-in in progress, to tell a lost cookie from a wrong or used state.
   */
  take(req: Request, res: Response, state: string): { login?: PendingLogin; anyInProgress: boolean };
}

export interface LoginTransactionOptions {
  readonly vault: TokenVault;
  /** The callback's path, BASE_URL's path included: the only place the cookie is sent. */
  readonly callbackPath: string;
  readonly secure: boolean;
  readonly lifetimeMs: number;
}

/** As sealed: the state too, so a cookie cannot be renamed to stand for another sign-in. */
interface Sealed {
  readonly state: string;
  readonly codeVerifier: string;
  readonly returnTo: string;
  readonly createdAt: number;
}

/** A short, stable id for a state: the claim key and the cookie's name, never the state itself. */
export function stateId(state: string): string {
  return createHash('sha256').update(state).digest('base64url').slice(0, 22);
}

export function createLoginTransactions({
  vault,
  callbackPath,
  secure,
  lifetimeMs,
}: LoginTransactionOptions): LoginTransactions {
  // __Secure- makes the browser refuse the cookie unless it is Secure (__Host- would need Path=/).
  const prefix = `${secure ? '__Secure-' : ''}rcapp.login.`;
  const attributes = { path: callbackPath, httpOnly: true, sameSite: 'lax', secure } as const;

  return {
    remember(res, state, { codeVerifier, returnTo, createdAt }) {
      const sealed: Sealed = { state, codeVerifier, returnTo, createdAt };
      res.cookie(prefix + stateId(state), vault.seal(sealed), { ...attributes, maxAge: lifetimeMs });
    },

    take(req, res, state) {
      const cookies = parseCookies(req.headers.cookie ?? '');
      const anyInProgress = Object.keys(cookies).some((name) => name.startsWith(prefix));
      const name = prefix + stateId(state);
      const value = cookies[name];
      if (value === undefined) return { anyInProgress };
      res.clearCookie(name, attributes);
      const sealed = vault.open(value) as Sealed | undefined;
      if (sealed?.state !== state) return { anyInProgress };
      const { codeVerifier, returnTo, createdAt } = sealed;
      return { login: { codeVerifier, returnTo, createdAt }, anyInProgress };
    },
  };
}
