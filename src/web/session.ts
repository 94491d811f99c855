// What the app keeps in the server-side session, and promise wrappers for express-session's callbacks.
import { promisify } from 'node:util';
import type { Request, Response } from 'express';
import type { SessionData } from 'express-session';
import type { PendingLogins } from '../auth/pending-logins.js';
import type { UserProfile } from '../auth/auth-service.js';
import type { TokenSet } from '../auth/token-set.js';
import type { TokenVault } from '../session/token-vault.js';
import { storeUnavailable } from './session-middleware.js';

/** The signed-in state as the code uses it, with the tokens readable. */
export interface SignedInSession {
  readonly tokens: TokenSet;
  readonly user: UserProfile;
  readonly signedInAt: number;
  readonly lastRefreshedAt: number | undefined;
}

/** The same as it is stored: the tokens sealed, so no store (memory or Redis) holds a usable token. */
interface StoredAuth extends Omit<SignedInSession, 'tokens'> {
  readonly sealedTokens: string;
}

declare module 'express-session' {
  interface SessionData {
    /** Started, unfinished sign-ins keyed by state: the PKCE verifier and where to go afterwards. */
    pendingLogins: PendingLogins;
    /** Present only when signed in. Tokens never leave the server, and are encrypted in the store. */
    auth: StoredAuth;
    /** Synchronizer token for the Refresh and Log out forms. */
    csrfToken: string;
  }
}

export function regenerateSession(req: Request): Promise<void> {
  return orUnavailable(promisify(req.session.regenerate.bind(req.session))());
}

/** express-session saves at the end of the response; a redirect must not race that (README: "save()"). */
export function saveSession(req: Request): Promise<void> {
  return orUnavailable(promisify(req.session.save.bind(req.session))());
}

export function destroySession(req: Request): Promise<void> {
  return orUnavailable(promisify(req.session.destroy.bind(req.session))());
}

/** A store that fails while saving is a 503 like one that fails while loading. */
function orUnavailable(operation: Promise<void>): Promise<void> {
  return operation.catch((error: unknown) => {
    throw storeUnavailable(error);
  });
}

export interface AuthSession {
  /** The signed-in state, or undefined (also when the tokens cannot be decrypted, e.g. after a key change). */
  read(req: Request): SignedInSession | undefined;
  /** The same for session data read straight from the store. */
  decode(data: Partial<SessionData>): SignedInSession | undefined;
  write(req: Request, auth: SignedInSession): void;
}

export function createAuthSession(vault: TokenVault): AuthSession {
  function decode(data: Partial<SessionData>): SignedInSession | undefined {
    const stored = data.auth;
    if (stored === undefined) return undefined;
    const tokens = vault.open(stored.sealedTokens) as TokenSet | undefined;
    if (tokens === undefined) return undefined;
    const { user, signedInAt, lastRefreshedAt } = stored;
    return { user, signedInAt, lastRefreshedAt, tokens };
  }

  // Decrypting is done once per request: several middlewares ask, the sealed value rarely changes.
  const decoded = new WeakMap<Request, { sealed: string; value: SignedInSession | undefined }>();

  return {
    read(req) {
      const sealed = req.session.auth?.sealedTokens;
      if (sealed === undefined) return undefined;
      const cached = decoded.get(req);
      if (cached?.sealed === sealed) return cached.value;
      const value = decode(req.session);
      decoded.set(req, { sealed, value });
      return value;
    },
    decode,
    write(req, { tokens, ...rest }) {
      req.session.auth = { ...rest, sealedTokens: vault.seal(tokens) };
    },
  };
}

/** Ends the session here: destroyed in the store, cookie cleared with the attributes it was set with. */
export async function endSession(
  req: Request,
  res: Response,
  cookie: { name: string; path: string; secure: boolean },
) {
  await destroySession(req);
  res.clearCookie(cookie.name, { path: cookie.path, httpOnly: true, sameSite: 'lax', secure: cookie.secure });
}
