// The token set as the app keeps it (camelCase, absolute times), converted once from the wire answer.
// Pure: the clock is passed in.
import { createHash } from 'node:crypto';
import type { TokenResponse } from '../ringcentral/ringcentral-types.js';

export interface TokenSet {
  readonly accessToken: string;
  readonly tokenType: string;
  /** Epoch ms. Computed from the local receipt time + expires_in, so a skewed provider clock cannot fool it. */
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly refreshToken: string | undefined;
  readonly refreshTokenExpiresAt: number | undefined;
  readonly scope: readonly string[];
  readonly ownerId: string | undefined;
  readonly endpointId: string | undefined;
}

/** Everything about a token set except the tokens themselves: kept in clear, shown on the dashboard. */
export interface TokenInfo extends Omit<TokenSet, 'accessToken' | 'refreshToken'> {
  readonly hasRefreshToken: boolean;
  /**
   * A short SHA-256 fingerprint of the access token: it changes whenever the token does, and tells nothing
   * about it. (A prefix of the token would not: every RingCentral token starts with the same characters.)
   * Plain ASCII: one non-ASCII character makes V8 hold the whole serialized session as a two-byte string,
   * which doubled each session's memory in the in-process store.
   */
  readonly accessTokenFingerprint: string;
}

/** 10 base64url characters: 60 bits, plenty to see a change, far too few to matter to anyone. */
const FINGERPRINT_CHARS = 10;

/**
 * The longest lifetimes believed from a token answer. RingCentral's are about an hour and a week, 30 days at
 * most for a refresh token (ringcentral-oauth.md §3). Anything longer is a bug or a hostile answer: 1e13 s
 * overflows a Date (every page failed), and 1e306 s made the expiry Infinity, stored as null (every page
 * refreshed).
 */
const MAX_ACCESS_TOKEN_SECONDS = 86_400;
const MAX_REFRESH_TOKEN_SECONDS = 30 * 86_400;

export function describeTokens({ accessToken, refreshToken, ...info }: TokenSet): TokenInfo {
  return {
    ...info,
    hasRefreshToken: refreshToken !== undefined,
    accessTokenFingerprint: createHash('sha256')
      .update(accessToken)
      .digest('base64url')
      .slice(0, FINGERPRINT_CHARS),
  };
}

export function toTokenSet(wire: TokenResponse, now: number, previous?: TokenSet): TokenSet {
  // RFC 6749 §6: a refresh answer without a refresh_token means "keep using the old one".
  const keepPrevious = wire.refresh_token === undefined && previous !== undefined;
  return {
    accessToken: wire.access_token,
    tokenType: wire.token_type,
    issuedAt: now,
    expiresAt: now + Math.min(wire.expires_in, MAX_ACCESS_TOKEN_SECONDS) * 1000,
    refreshToken: keepPrevious ? previous.refreshToken : wire.refresh_token,
    refreshTokenExpiresAt: keepPrevious
      ? previous.refreshTokenExpiresAt
      : wire.refresh_token_expires_in === undefined
        ? undefined
        : now + Math.min(wire.refresh_token_expires_in, MAX_REFRESH_TOKEN_SECONDS) * 1000,
    scope: wire.scope === undefined ? [] : wire.scope.split(/\s+/).filter(Boolean),
    ownerId: wire.owner_id ?? previous?.ownerId,
    endpointId: wire.endpoint_id ?? previous?.endpointId,
  };
}

/** True when the access token expires within `skewMs` (or already has). */
export function isExpiring(tokens: Pick<TokenSet, 'expiresAt'>, now: number, skewMs: number): boolean {
  return tokens.expiresAt - now <= skewMs;
}

/** True when the refresh token can still be used. */
export function canRefresh(
  tokens: Pick<TokenSet, 'refreshToken' | 'refreshTokenExpiresAt'>,
  now: number,
): boolean {
  return (
    tokens.refreshToken !== undefined &&
    (tokens.refreshTokenExpiresAt === undefined || tokens.refreshTokenExpiresAt > now)
  );
}

/** Whole seconds left until `at`, never negative. */
export function secondsLeft(at: number, now: number): number {
  return Math.max(0, Math.floor((at - now) / 1000));
}

/** The app permissions the app's pages use: sign-in and /api/extension, and /api/call-log. */
export const PERMISSIONS_USED = ['ReadAccounts', 'ReadCallLog'] as const;

/**
 * App settings a token shows and the developer console set wrong, as sentences for a warning at sign-in.
 * RingCentral reveals them nowhere else: no API tells an app its own "Issue refresh tokens" setting.
 */
export function appSettingsWarnings(tokens: TokenSet): string[] {
  const warnings: string[] = [];
  if (tokens.refreshToken === undefined) {
    warnings.push(
      'RingCentral issued no refresh token: turn on "Issue refresh tokens" in the app\'s Settings → Auth, or every user signs in again when the access token expires.',
    );
  }
  // RingCentral names the app's permissions in `scope`; a token answer without one tells nothing.
  const missing = PERMISSIONS_USED.filter((name) => !tokens.scope.includes(name));
  if (tokens.scope.length > 0 && missing.length > 0) {
    warnings.push(
      `The app lacks the permission(s) ${missing.join(', ')} (token scope: ${tokens.scope.join(' ')}): add them in the app's Settings → App permissions, or the pages that need them answer 403.`,
    );
  }
  return warnings;
}
