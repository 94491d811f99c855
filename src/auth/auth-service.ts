// The sign-in flow on plain data: what to send, what to check, what to keep. It never sees req, res or the
// session, and reaches RingCentral only through the RingCentralClient interface.
import { AppError } from '../errors/app-error.js';
import { CURRENT_EXTENSION, type RingCentralClient } from '../ringcentral/ringcentral-client.js';
import type { ExtensionInfo } from '../ringcentral/ringcentral-types.js';
import { codeChallengeS256, randomCodeVerifier, randomState } from './pkce.js';
import { canRefresh, toTokenSet, type TokenSet } from './token-set.js';

/** A sign-in must come back within this time (RingCentral's own consent page times out too). */
export const LOGIN_TTL_MS = 10 * 60_000;

/** A sign-in started and not yet finished: what the callback needs, kept until then (web/login-transaction.ts). */
export interface PendingLogin {
  readonly codeVerifier: string;
  readonly returnTo: string;
  readonly createdAt: number;
}

export interface UserProfile {
  readonly id: string;
  readonly name: string;
  readonly extensionNumber: string | undefined;
  readonly email: string | undefined;
  readonly accountId: string | undefined;
}

export interface SignedIn {
  readonly tokens: TokenSet;
  readonly user: UserProfile;
}

/** What came back to the redirect URI: a code, or RingCentral's error (RFC 6749 §4.1.2, §4.1.2.1). */
export type CallbackResult =
  | { readonly kind: 'code'; readonly code: string }
  | { readonly kind: 'error'; readonly error: string; readonly errorDescription: string | undefined };

export interface AuthService {
  beginLogin(returnTo: string): { state: string; pendingLogin: PendingLogin; authorizationUrl: string };
  completeLogin(pendingLogin: PendingLogin, callback: CallbackResult): Promise<SignedIn>;
  refresh(tokens: TokenSet): Promise<TokenSet>;
  /** Revokes at RingCentral. Never throws, so logout always completes; says what failed, for the log. */
  logout(tokens: TokenSet): Promise<{ revoked: true } | { revoked: false; failure: AppError }>;
}

export interface AuthServiceDeps {
  readonly client: RingCentralClient;
  readonly now?: () => number;
}

export function createAuthService({ client, now = Date.now }: AuthServiceDeps): AuthService {
  return {
    beginLogin(returnTo) {
      const state = randomState();
      const codeVerifier = randomCodeVerifier();
      // Only the challenge travels; the verifier stays in the server-side session until the exchange.
      const authorizationUrl = client.buildAuthorizationUrl({
        state,
        codeChallenge: codeChallengeS256(codeVerifier),
      });
      return { state, pendingLogin: { codeVerifier, returnTo, createdAt: now() }, authorizationUrl };
    },

    async completeLogin(pendingLogin, callback) {
      if (now() - pendingLogin.createdAt > LOGIN_TTL_MS) {
        throw new AppError('LOGIN_EXPIRED', 'More than 10 minutes passed since this sign-in started.');
      }
      if (callback.kind === 'error') throw authorizationError(callback.error, callback.errorDescription);
      const wire = await client.exchangeAuthorizationCode({
        code: callback.code,
        codeVerifier: pendingLogin.codeVerifier,
      });
      const tokens = toTokenSet(wire, now());
      const user = toUserProfile(await client.callApi(tokens.accessToken, CURRENT_EXTENSION));
      return { tokens, user };
    },

    async refresh(tokens) {
      if (!canRefresh(tokens, now())) {
        throw new AppError('SESSION_ENDED', 'There is no refresh token, or it has expired.');
      }
      try {
        // RingCentral refresh tokens are single-use: the answer carries the next one, which must be kept.
        return toTokenSet(
          await refreshOnceMore(() => client.refreshAccessToken(tokens.refreshToken ?? '')),
          now(),
          tokens,
        );
      } catch (cause) {
        if (
          cause instanceof AppError &&
          (cause.code === 'TOKEN_REJECTED' || cause.code === 'ACCESS_TOKEN_REJECTED')
        ) {
          throw new AppError('SESSION_ENDED', 'RingCentral did not accept the refresh token.', {
            cause,
            ...(cause.provider === undefined ? {} : { provider: cause.provider }),
          });
        }
        throw cause;
      }
    },

    async logout(tokens) {
      try {
        // Either token ends the whole RingCentral session; the refresh token outlives the access token.
        await client.revokeToken(tokens.refreshToken ?? tokens.accessToken);
        return { revoked: true };
      } catch (error) {
        // RingCentral's guidance: ignore revoke errors and do not retry.
        const failure =
          error instanceof AppError
            ? error
            : new AppError('INTERNAL', 'Revocation failed.', { cause: error });
        return { revoked: false, failure };
      }
    },
  };
}

/**
 * A refresh that met a 5xx or a timeout is tried once more: it cannot be replayed by an attacker, and if
 * the first attempt did reach RingCentral, the retry gets invalid_grant (or, within RingCentral's reuse
 * window, the same tokens). The code exchange is never retried: a code is good for one attempt only.
 */
async function refreshOnceMore<T>(attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    const transient =
      error instanceof AppError &&
      (error.code === 'PROVIDER_UNAVAILABLE' || error.code === 'PROVIDER_TIMEOUT');
    if (!transient) throw error;
    return attempt();
  }
}

function authorizationError(error: string, description: string | undefined): AppError {
  const provider = { error, ...(description === undefined ? {} : { description }) };
  if (error === 'access_denied') {
    return new AppError('AUTHORIZATION_DENIED', 'RingCentral answered "access_denied".', { provider });
  }
  return new AppError('AUTHORIZATION_FAILED', `RingCentral answered "${error}".`, { provider });
}

function toUserProfile(extension: ExtensionInfo): UserProfile {
  const contactName = [extension.contact?.firstName, extension.contact?.lastName].filter(Boolean).join(' ');
  return {
    id: extension.id,
    name: extension.name ?? (contactName || `Extension ${extension.id}`),
    extensionNumber: extension.extensionNumber,
    email: extension.contact?.email,
    accountId: extension.account?.id,
  };
}
