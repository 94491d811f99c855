// What the app keeps in the server-side session, and promise wrappers for express-session's callbacks.
import type { Request, Response } from 'express';
import type { SessionData } from 'express-session';
import type { PendingLogins } from '../auth/pending-logins.js';
import type { UserProfile } from '../auth/auth-service.js';
import { describeTokens, type TokenInfo, type TokenSet } from '../auth/token-set.js';
import type { TokenVault } from '../session/token-vault.js';
import { storeUnavailable } from './session-middleware.js';

/** The signed-in state as the code uses it, with the tokens readable. */
export interface SignedInSession {
  readonly tokens: TokenSet;
  readonly user: UserProfile;
  readonly signedInAt: number;
  readonly lastRefreshedAt: number | undefined;
}

/** The same without the tokens: all a page needs to show, read without decrypting anything. */
export interface SignedInState extends Omit<SignedInSession, 'tokens'> {
  readonly token: TokenInfo;
}

/** As it is stored: the two tokens sealed, so no store (memory or Redis) holds a usable token. */
interface StoredAuth extends SignedInState {
  readonly sealedTokens: string;
}

/** What is sealed: only the secrets. */
interface Secrets {
  readonly accessToken: string;
  readonly refreshToken: string | undefined;
}

declare module 'express-session' {
  interface SessionData {
    /** Started, unfinished sign-ins keyed by state: the PKCE verifier and where to go afterwards. */
    pendingLogins: PendingLogins;
    /** Present only when signed in. Tokens never leave the server, and are encrypted in the store. */
    auth: StoredAuth;
    /** Synchronizer token for the Refresh and Log out forms. */
    csrfToken: string;
    /**
     * Set when RingCentral answered a refresh with 429: no instance calls it for this session before this
     * time (epoch ms), since every call during the penalty restarts it.
     */
    refreshNotBefore: number;
  }
}

export function regenerateSession(req: Request): Promise<void> {
  return orUnavailable((done) => req.session.regenerate(done));
}

/** express-session saves at the end of the response; a redirect must not race that (README: "save()"). */
export function saveSession(req: Request): Promise<void> {
  return orUnavailable((done) => req.session.save(done));
}

export function destroySession(req: Request): Promise<void> {
  return orUnavailable((done) => req.session.destroy(done));
}

/**
 * One express-session operation as a promise; a store that fails while saving is a 503 like one that fails
 * while loading. A plain Promise, not util.promisify: that builds a new function on every call, which a
 * sign-in profile put at 70 µs per sign-in (four calls).
 */
function orUnavailable(operation: (done: (error?: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    operation((error) => (error ? reject(storeUnavailable(error)) : resolve()));
  });
}

export interface AuthSession {
  /**
   * The signed-in state for display, or undefined. Decrypts nothing: the dashboard is the most frequent page
   * and shows no token. A session whose key is no longer configured reads as signed out here too.
   */
  state(req: Request): SignedInState | undefined;
  /** With the tokens decrypted, for the calls that send them; undefined also when they cannot be decrypted. */
  read(req: Request): SignedInSession | undefined;
  /** The same for session data read straight from the store. */
  decode(data: Partial<SessionData>): SignedInSession | undefined;
  write(req: Request, auth: SignedInSession): void;
}

export function createAuthSession(vault: TokenVault): AuthSession {
  function decode(data: Partial<SessionData>): SignedInSession | undefined {
    const stored = data.auth;
    // No `token`: stored by an earlier version, which sealed the whole token set. Signed out, not a crash.
    if (stored?.token === undefined) return undefined;
    const secrets = vault.open(stored.sealedTokens) as Secrets | undefined;
    if (secrets === undefined) return undefined;
    const { user, signedInAt, lastRefreshedAt, token } = stored;
    const tokens: TokenSet = {
      accessToken: secrets.accessToken,
      refreshToken: secrets.refreshToken,
      tokenType: token.tokenType,
      issuedAt: token.issuedAt,
      expiresAt: token.expiresAt,
      refreshTokenExpiresAt: token.refreshTokenExpiresAt,
      scope: token.scope,
      ownerId: token.ownerId,
      endpointId: token.endpointId,
    };
    return { user, signedInAt, lastRefreshedAt, tokens };
  }

  return {
    state(req) {
      const stored = req.session.auth;
      if (stored?.token === undefined || !vault.canOpen(stored.sealedTokens)) return undefined;
      const { user, signedInAt, lastRefreshedAt, token } = stored;
      return { user, signedInAt, lastRefreshedAt, token };
    },
    read: (req) => decode(req.session),
    decode,
    write(req, { tokens, ...rest }) {
      const secrets: Secrets = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
      req.session.auth = { ...rest, token: describeTokens(tokens), sealedTokens: vault.seal(secrets) };
    },
  };
}

/** The display state of a session whose tokens are at hand (after a refresh). */
export function stateOf({ tokens, ...rest }: SignedInSession): SignedInState {
  return { ...rest, token: describeTokens(tokens) };
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
