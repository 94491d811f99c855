// The emulated RingCentral's memory: registered clients, demo users, codes and token sessions, with
// RingCentral's rules for them (ringcentral-oauth.md §3). No HTTP here; the clock is injected.
import { createHash, randomBytes } from 'node:crypto';
import { oauthErrors } from './emulator-errors.js';

export type GrantType = 'authorization_code' | 'refresh_token';

export interface EmulatorClient {
  readonly clientId: string;
  /** Omit for a public ("client-side web app") client, which sends client_id in the body instead. */
  readonly clientSecret?: string;
  readonly redirectUris: readonly string[];
  /** The developer console's auth setting: the grants this app may use. */
  readonly grants: readonly GrantType[];
  /**
   * "Issue refresh tokens" in the console. Off unless set, as for a new app at RingCentral: the token answer
   * then has no refresh_token, and the session ends when the access token does.
   */
  readonly issueRefreshTokens?: boolean;
  /**
   * The app permissions set in the console (ReadAccounts, ReadCallLog, ...). RingCentral grants exactly these,
   * whatever `scope` the authorize request asks for, and names them in the token answer's `scope`.
   */
  readonly permissions?: readonly string[];
}

export interface DemoUser {
  readonly extensionId: string;
  readonly accountId: string;
  readonly extensionNumber: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  /** User permissions the user's role lacks (granted in the admin portal): their API calls answer CMN-408. */
  readonly deniedPermissions?: readonly string[];
}

export interface Lifetimes {
  readonly accessTokenSeconds: number;
  readonly refreshTokenSeconds: number;
  readonly codeSeconds: number;
}

interface IssuedCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly userId: string;
  readonly codeChallenge: string | undefined;
  readonly codeChallengeMethod: 'plain' | 'S256';
  readonly issuedAt: number;
  used: boolean;
  sessionId: string | undefined;
}

/** One RingCentral "OAuth session": what revoke ends, whichever of its tokens is sent. */
interface TokenSession {
  readonly clientId: string;
  readonly userId: string;
  readonly endpointId: string;
  /** The app's permissions when the session began: what its tokens may do. */
  readonly permissions: readonly string[];
  revoked: boolean;
  /** When its newest token expires: after that it no longer counts as active. */
  activeUntil: number;
  /** Every access and refresh token issued in it: what a refresh supersedes and what pruning forgets. */
  readonly tokens: string[];
}

interface AccessToken {
  readonly sessionId: string;
  readonly expiresAt: number;
  /** When a refresh replaced it: it keeps working for SUPERSEDED_GRACE_MS more, then is "not found". */
  supersededAt: number | undefined;
  /** Dropped on its own (the emulator's "revoke-access-token" fault); its refresh token still works. */
  dropped: boolean;
  firstUsedAt: number | undefined;
}

interface RefreshToken {
  readonly sessionId: string;
  readonly expiresAt: number;
  /** Set when used: the answer it produced, replayed during RingCentral's reuse window. */
  rotated: { readonly at: number; readonly response: TokenResponse } | undefined;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  refresh_token?: string;
  refresh_token_expires_in?: number;
  scope: string;
  owner_id: string;
  endpoint_id: string;
}

/** §3f: after the new access token is first used, the old refresh token works ~10 s more; unused, 60 min. */
const REUSE_AFTER_USE_MS = 10_000;
const REUSE_UNUSED_MS = 60 * 60_000;
/**
 * §12: "an old access token keeps working about 10 s after a refresh, then answers Token not found" (OAU-213).
 */
const SUPERSEDED_GRACE_MS = 10_000;
/** An app registered without permissions can still sign in and read who signed in, and nothing more. */
const DEFAULT_PERMISSIONS = ['ReadAccounts'];
/**
 * §3e: "up to 5 simultaneous OAuth sessions per user per application"; reaching the limit invalidates
 * tokens. Which session goes is UNCONFIRMED; the RFCs have no rule, so the emulator ends the oldest, which
 * keeps the newest sign-in working.
 */
const MAX_SESSIONS_PER_USER = 5;
/**
 * How long an expired token session is remembered, so its tokens answer "expired" rather than "unknown".
 * RingCentral's own horizon is UNCONFIRMED; after it, the emulator answers as for a token it never issued.
 */
const KEEP_EXPIRED_MS = 24 * 60 * 60_000;

export function createEmulatorStore(options: {
  clients: readonly EmulatorClient[];
  users: readonly DemoUser[];
  lifetimes: Lifetimes;
  now: () => number;
  /** Tokens and codes carry a literal SENTINEL marker, so tests can search pages and logs for leaks. */
  sentinels?: boolean;
  /**
   * Forget dead records once codes and token sessions number more than this (default 10,000), so a long
   * load test against `npm run emulator` does not grow it without bound. Tests set it low.
   */
  pruneAbove?: number;
}) {
  const { lifetimes, now } = options;
  const clients = new Map(options.clients.map((client) => [client.clientId, client]));
  const users = new Map(options.users.map((user) => [user.extensionId, user]));
  const codes = new Map<string, IssuedCode>();
  const sessions = new Map<string, TokenSession>();
  const accessTokens = new Map<string, AccessToken>();
  const refreshTokens = new Map<string, RefreshToken>();
  /** Per client and user, their token sessions, oldest first: for the five-session limit. */
  const sessionsByUser = new Map<string, string[]>();
  const pruneAbove = options.pruneAbove ?? 10_000;
  /** Codes + sessions at which the next sweep runs: doubles with what a sweep keeps, so sweeps stay rare. */
  let sweepAt = pruneAbove;

  /**
   * Forgets what can no longer change an answer: revoked token sessions (their tokens already answer as
   * unknown), sessions expired for a day, their tokens and codes, and expired codes never redeemed. A used
   * code lives as long as its session, so redeeming it twice still revokes what it produced.
   */
  function sweepIfDue() {
    if (codes.size + sessions.size <= sweepAt) return;
    const at = now();
    for (const [id, session] of sessions) {
      if (!session.revoked && session.activeUntil + KEEP_EXPIRED_MS > at) continue;
      for (const token of session.tokens) {
        accessTokens.delete(token);
        refreshTokens.delete(token);
      }
      sessions.delete(id);
    }
    for (const [value, code] of codes) {
      const dead = code.used
        ? code.sessionId === undefined || !sessions.has(code.sessionId)
        : at - code.issuedAt > lifetimes.codeSeconds * 1000;
      if (dead) codes.delete(value);
    }
    for (const [key, ids] of sessionsByUser) {
      const kept = ids.filter((id) => sessions.has(id));
      if (kept.length === 0) sessionsByUser.delete(key);
      else sessionsByUser.set(key, kept);
    }
    sweepAt = Math.max(pruneAbove, 2 * (codes.size + sessions.size));
  }

  /** A new token session; the oldest active one of the same user and app ends if five are active. */
  function startSession(client: EmulatorClient, userId: string): string {
    const clientId = client.clientId;
    const key = `${clientId} ${userId}`;
    const active = (sessionsByUser.get(key) ?? []).filter((id) => {
      const session = sessions.get(id);
      return session !== undefined && !session.revoked && session.activeUntil > now();
    });
    while (active.length >= MAX_SESSIONS_PER_USER) revokeSession(active.shift()!);
    const sessionId = randomBytes(16).toString('hex');
    sessions.set(sessionId, {
      clientId,
      userId,
      endpointId: randomBytes(16).toString('base64url'),
      permissions: client.permissions ?? DEFAULT_PERMISSIONS,
      revoked: false,
      activeUntil: now(),
      tokens: [],
    });
    sessionsByUser.set(key, [...active, sessionId]);
    return sessionId;
  }

  function issueTokens(sessionId: string, accessTtl: number, refreshTtl: number): TokenResponse {
    const session = sessions.get(sessionId)!;
    const client = clients.get(session.clientId)!;
    const accessToken = newToken('AT', options.sentinels === true);
    session.tokens.push(accessToken);
    accessTokens.set(accessToken, {
      sessionId,
      expiresAt: now() + accessTtl * 1000,
      supersededAt: undefined,
      dropped: false,
      firstUsedAt: undefined,
    });
    const response: TokenResponse = {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: accessTtl,
      scope: session.permissions.join(' '),
      owner_id: session.userId,
      endpoint_id: session.endpointId,
    };
    if (client.issueRefreshTokens === true && client.grants.includes('refresh_token')) {
      const refreshToken = newToken('RT', options.sentinels === true);
      session.tokens.push(refreshToken);
      refreshTokens.set(refreshToken, {
        sessionId,
        expiresAt: now() + refreshTtl * 1000,
        rotated: undefined,
      });
      response.refresh_token = refreshToken;
      response.refresh_token_expires_in = refreshTtl;
    }
    session.activeUntil = now() + Math.max(accessTtl, response.refresh_token_expires_in ?? 0) * 1000;
    return response;
  }

  function revokeSession(sessionId: string) {
    const session = sessions.get(sessionId);
    if (session !== undefined) session.revoked = true;
  }

  return {
    now,
    lifetimes,
    client: (clientId: string) => clients.get(clientId),
    user: (userId: string) => users.get(userId),
    users: () => [...users.values()],
    setClient: (client: EmulatorClient) => void clients.set(client.clientId, client),

    issueCode(code: Omit<IssuedCode, 'issuedAt' | 'used' | 'sessionId'>): string {
      sweepIfDue();
      const value = `${options.sentinels === true ? 'CODE_SENTINEL_' : ''}${randomBytes(32).toString('base64url')}`;
      codes.set(value, { ...code, issuedAt: now(), used: false, sessionId: undefined });
      return value;
    },

    /** The code exchange, with RingCentral's checks in order (§3b). */
    redeemCode(
      params: { clientId: string; code: string; redirectUri: string; codeVerifier: string | undefined },
      ttl: { access: number; refresh: number },
    ): TokenResponse {
      const issued = codes.get(params.code);
      if (issued === undefined) throw oauthErrors.invalidCode();
      if (issued.used) {
        // RFC 6749 §4.1.2: a reused code is an attack signal; revoke what it produced.
        if (issued.sessionId !== undefined) revokeSession(issued.sessionId);
        throw oauthErrors.invalidCode();
      }
      if (issued.clientId !== params.clientId) throw oauthErrors.codeOfOtherClient();
      if (now() - issued.issuedAt > lifetimes.codeSeconds * 1000) throw oauthErrors.codeExpired();
      if (issued.redirectUri !== params.redirectUri) throw oauthErrors.redirectUriMismatch();
      checkPkce(issued, params.codeVerifier);
      issued.used = true;
      const sessionId = startSession(clients.get(issued.clientId)!, issued.userId);
      issued.sessionId = sessionId;
      return issueTokens(sessionId, ttl.access, ttl.refresh);
    },

    /** Refresh with rotation (§3f): single-use tokens, the old access token dies 10 s later, a short reuse window. */
    refresh(
      params: { clientId: string; refreshToken: string },
      ttl: { access: number; refresh: number },
    ): TokenResponse {
      const stored = refreshTokens.get(params.refreshToken);
      const session = stored === undefined ? undefined : sessions.get(stored.sessionId);
      if (
        stored === undefined ||
        session === undefined ||
        session.revoked ||
        session.clientId !== params.clientId
      ) {
        throw oauthErrors.tokenNotFound();
      }
      if (stored.expiresAt <= now()) throw oauthErrors.tokenExpired();
      if (stored.rotated !== undefined) return replayWithinReuseWindow(stored.rotated);
      for (const token of session.tokens) {
        const access = accessTokens.get(token);
        if (access !== undefined) access.supersededAt ??= now();
      }
      const response = issueTokens(stored.sessionId, ttl.access, ttl.refresh);
      stored.rotated = { at: now(), response };
      return response;
    },

    /** Ends the whole token session of `token` (access or refresh); unknown tokens are fine (RFC 7009 §2.2). */
    revoke(token: string): boolean {
      const sessionId = accessTokens.get(token)?.sessionId ?? refreshTokens.get(token)?.sessionId;
      if (sessionId === undefined) return false;
      revokeSession(sessionId);
      return true;
    },

    /** Looks up a bearer token for an API call and marks its first use (which starts the reuse window). */
    useAccessToken(
      token: string,
    ):
      | { status: 'ok'; user: DemoUser; clientId: string; permissions: readonly string[] }
      | { status: 'unparsable' | 'not-found' | 'expired' } {
      if (!/^[A-Za-z0-9_-]+$/.test(token)) return { status: 'unparsable' };
      const stored = accessTokens.get(token);
      const session = stored === undefined ? undefined : sessions.get(stored.sessionId);
      if (stored === undefined || session === undefined || session.revoked || stored.dropped)
        return { status: 'not-found' };
      if (stored.supersededAt !== undefined && now() - stored.supersededAt >= SUPERSEDED_GRACE_MS)
        return { status: 'not-found' };
      if (stored.expiresAt <= now()) return { status: 'expired' };
      stored.firstUsedAt ??= now();
      const { clientId, permissions } = session;
      return { status: 'ok', user: users.get(session.userId)!, clientId, permissions };
    },

    /** Makes one access token unknown, as if RingCentral had dropped it; its session's refresh token still works. */
    dropAccessToken(token: string): boolean {
      const stored = accessTokens.get(token);
      if (stored !== undefined) stored.dropped = true;
      return stored !== undefined;
    },

    /** Every access and refresh token issued so far: tests search pages and logs for them. */
    issuedTokens: (): string[] => [...accessTokens.keys(), ...refreshTokens.keys()],

    /** How many codes, token sessions and tokens it holds: what pruning keeps bounded. */
    size: () => ({
      codes: codes.size,
      sessions: sessions.size,
      tokens: accessTokens.size + refreshTokens.size,
    }),

    /** For tests: is the token session of this token still alive? */
    isSessionActive(token: string): boolean {
      const sessionId = accessTokens.get(token)?.sessionId ?? refreshTokens.get(token)?.sessionId;
      return sessionId !== undefined && sessions.get(sessionId)?.revoked === false;
    },
  };

  function replayWithinReuseWindow(rotated: { at: number; response: TokenResponse }): TokenResponse {
    const next = accessTokens.get(rotated.response.access_token);
    const session = next === undefined ? undefined : sessions.get(next.sessionId);
    const usedAt = next?.firstUsedAt;
    const windowEnds = usedAt === undefined ? rotated.at + REUSE_UNUSED_MS : usedAt + REUSE_AFTER_USE_MS;
    if (session === undefined || session.revoked || now() > windowEnds) throw oauthErrors.tokenNotFound();
    // Within the window RingCentral answers a reused refresh token with the same new tokens.
    return rotated.response;
  }
}

export type EmulatorStore = ReturnType<typeof createEmulatorStore>;

function checkPkce(issued: IssuedCode, verifier: string | undefined) {
  if (issued.codeChallenge === undefined) return;
  if (verifier === undefined) throw oauthErrors.pkceMismatch();
  const computed =
    issued.codeChallengeMethod === 'S256'
      ? createHash('sha256').update(verifier, 'ascii').digest('base64url')
      : verifier;
  if (computed !== issued.codeChallenge) throw oauthErrors.pkceMismatch();
}

/** Looks like RingCentral's tokens: base64url of "<cluster>|<opaque>" (§9a, cosmetic). */
function newToken(kind: 'AT' | 'RT', sentinel: boolean): string {
  if (sentinel) return `${kind}_SENTINEL_${randomBytes(24).toString('base64url')}`;
  return Buffer.from(`EMU01P${kind}01|${randomBytes(27).toString('base64url')}`).toString('base64url');
}
