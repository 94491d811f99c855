// Builds the dashboard's view model from the signed-in state, which holds no token: the access token appears
// as a short fingerprint (a hash), the refresh token not at all.
import { secondsLeft } from '../auth/token-set.js';
import type { SignedInSummary } from '../session/auth-session.js';

export interface DashboardView {
  readonly user: {
    readonly name: string;
    readonly extensionNumber: string;
    readonly email: string;
    readonly accountId: string;
    readonly id: string;
  };
  readonly token: {
    readonly type: string;
    readonly accessTokenFingerprint: string;
    readonly issuedAt: string;
    readonly expiresAt: string;
    readonly expiresIn: string;
    /** For the countdown bars: seconds left now, of the full lifetime, and the end in epoch ms for the script. */
    readonly secondsLeft: number;
    readonly lifetimeSeconds: number;
    readonly expiresAtMs: number;
    readonly refreshSecondsLeft: number | undefined;
    readonly refreshLifetimeSeconds: number | undefined;
    readonly refreshExpiresAtMs: number | undefined;
    readonly expired: boolean;
    readonly hasRefreshToken: boolean;
    readonly refreshExpiresAt: string;
    readonly refreshExpiresIn: string;
    readonly scope: readonly string[];
    readonly ownerId: string;
    readonly endpointId: string;
    readonly lastRefreshedAt: string;
    readonly signedInAt: string;
  };
}

export function toDashboardView(auth: SignedInSummary, now: number): DashboardView {
  const { token: tokens, user } = auth;
  const unknown = '—';
  return {
    user: {
      name: user.name,
      extensionNumber: user.extensionNumber ?? unknown,
      email: user.email ?? unknown,
      accountId: user.accountId ?? unknown,
      id: user.id,
    },
    token: {
      type: tokens.tokenType,
      accessTokenFingerprint: tokens.accessTokenFingerprint,
      issuedAt: formatTime(tokens.issuedAt),
      expiresAt: formatTime(tokens.expiresAt),
      expiresIn: formatDuration(secondsLeft(tokens.expiresAt, now)),
      secondsLeft: secondsLeft(tokens.expiresAt, now),
      lifetimeSeconds: Math.round((tokens.expiresAt - tokens.issuedAt) / 1000),
      expiresAtMs: tokens.expiresAt,
      refreshSecondsLeft:
        tokens.refreshTokenExpiresAt === undefined
          ? undefined
          : secondsLeft(tokens.refreshTokenExpiresAt, now),
      refreshLifetimeSeconds:
        tokens.refreshTokenExpiresAt === undefined
          ? undefined
          : Math.round((tokens.refreshTokenExpiresAt - tokens.issuedAt) / 1000),
      refreshExpiresAtMs: tokens.refreshTokenExpiresAt,
      expired: tokens.expiresAt <= now,
      hasRefreshToken: tokens.hasRefreshToken,
      refreshExpiresAt:
        tokens.refreshTokenExpiresAt === undefined ? unknown : formatTime(tokens.refreshTokenExpiresAt),
      refreshExpiresIn:
        tokens.refreshTokenExpiresAt === undefined
          ? unknown
          : formatDuration(secondsLeft(tokens.refreshTokenExpiresAt, now)),
      scope: tokens.scope,
      ownerId: tokens.ownerId ?? unknown,
      endpointId: tokens.endpointId ?? unknown,
      lastRefreshedAt: auth.lastRefreshedAt === undefined ? 'not yet' : formatTime(auth.lastRefreshedAt),
      signedInAt: formatTime(auth.signedInAt),
    },
  };
}

/** UTC, to the second: "2026-11-22 16:03:05 UTC". */
export function formatTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "6 d 23 h", "59 min 58 s", "12 s", "expired". */
export function formatDuration(totalSeconds: number): string {
  if (totalSeconds <= 0) return 'expired';
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3_600);
  const minutes = Math.floor((totalSeconds % 3_600) / 60);
  const seconds = totalSeconds % 60;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return `${minutes} min ${seconds} s`;
  return `${seconds} s`;
}
