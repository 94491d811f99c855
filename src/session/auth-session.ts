// What the app keeps in the server-side session, and the signed-in part of it: written at sign-in and after
// each refresh, read by every page. The two tokens are sealed before they reach the store, so no store
// (memory or Redis) holds a usable token. Works on session data, never on a request.
import type { SessionData } from 'express-session';
import type { UserProfile } from '../auth/auth-service.js';
import { describeTokens, type TokenInfo, type TokenSet } from '../auth/token-set.js';
import type { TokenVault } from './token-vault.js';

/** The signed-in state as the code uses it, with the tokens readable. */
export interface SignedInSession {
  readonly tokens: TokenSet;
  readonly user: UserProfile;
  readonly signedInAt: number;
  readonly lastRefreshedAt: number | undefined;
}

/** The same without the tokens: all a page needs to show, read without decrypting anything. */
export interface SignedInSummary extends Omit<SignedInSession, 'tokens'> {
  readonly token: TokenInfo;
}

/** As it is stored: the two tokens sealed, the rest in clear. */
interface StoredAuth extends SignedInSummary {
  readonly sealedTokens: string;
}

/** What is sealed: only the secrets. */
interface Secrets {
  readonly accessToken: string;
  readonly refreshToken: string | undefined;
}

declare module 'express-session' {
  interface SessionData {
    /** Present only when signed in. Tokens never leave the server, and are encrypted in the store. */
    auth: StoredAuth;
    /** Synchronizer token for the Refresh and Log out forms. */
    csrfToken: string;
    /**
     * Set when RingCentral answered a refresh with 429: no instance calls it for this session before this
     * time (epoch ms), since every call during the penalty restarts it.
     */
    refreshNotBefore: number;
    /**
     * The same for API calls, per API (ApiRequest.name): set when RingCentral answered a call with 429, so no
     * instance calls that API for this session again before Retry-After has passed.
     */
    apiNotBefore: Record<string, number>;
  }
}

export interface AuthSession {
  /**
   * The signed-in state for display, or undefined. Decrypts nothing: the dashboard is the most frequent page
   * and shows no token. A session whose key is no longer configured reads as signed out here too.
   */
  summary(session: Partial<SessionData>): SignedInSummary | undefined;
  /** With the tokens decrypted, for the calls that send them; undefined also when they cannot be decrypted. */
  read(session: Partial<SessionData>): SignedInSession | undefined;
  write(session: Partial<SessionData>, auth: SignedInSession): void;
}

export function createAuthSession(vault: TokenVault): AuthSession {
  return {
    summary({ auth }) {
      // No `token`: stored by an earlier version, which sealed the whole token set. Signed out, not a crash.
      if (auth?.token === undefined || !vault.canOpen(auth.sealedTokens)) return undefined;
      const { user, signedInAt, lastRefreshedAt, token } = auth;
      return { user, signedInAt, lastRefreshedAt, token };
    },

    read({ auth }) {
      if (auth?.token === undefined) return undefined;
      const secrets = vault.open(auth.sealedTokens) as Secrets | undefined;
      if (secrets === undefined) return undefined;
      const { user, signedInAt, lastRefreshedAt, token } = auth;
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
    },

    write(session, { tokens, ...rest }) {
      const secrets: Secrets = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
      session.auth = { ...rest, token: describeTokens(tokens), sealedTokens: vault.seal(secrets) };
    },
  };
}

/** The display summary of a session whose tokens are at hand (after a refresh). */
export function summaryOf({ tokens, ...rest }: SignedInSession): SignedInSummary {
  return { ...rest, token: describeTokens(tokens) };
}
