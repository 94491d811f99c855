// Calling RingCentral's REST API as the signed-in user of a request: the part of OAuth that starts after
// sign-in. The HTTP call itself is RingCentralClient.callApi; this adds what RingCentral's SDK does around it.
//  - Before the call the token is fresh: the auto-refresh middleware ran first on every page (web/auto-refresh.ts),
//    refreshing within the refresh window, so the usual case costs one request.
//  - A 401 means RingCentral no longer takes this access token (revoked, superseded, expired early): refresh
//    once and retry once. The refresh is shared by every request of the session on every instance
//    (token-refresher.ts), so 40 pages loading at once after a revoked token make one refresh. A refresh that
//    fails ends the session, with the usual page; a second 401 after a good refresh is shown, never retried.
//  - A 429 is remembered in the session for that API until Retry-After has passed, and until then no instance
//    calls that API for this session: every call during RingCentral's penalty would start it again.
import type { Request, Response } from 'express';
import type { SessionCookie } from '../config.js';
import { AppError } from '../errors/app-error.js';
import type { ApiRequest, RingCentralClient } from '../ringcentral/ringcentral-client.js';
import type { AuthSession, SignedInSession } from '../session/auth-session.js';
import type { TokenRefresher } from '../session/token-refresher.js';
import { refreshOrSignOut } from './sign-out.js';

export interface UserApiDeps {
  readonly client: Pick<RingCentralClient, 'callApi'>;
  readonly authSession: AuthSession;
  readonly refresher: TokenRefresher;
  readonly cookie: SessionCookie;
  readonly now: () => number;
}

/** Calls `request` as this request's signed-in user; the caller has checked that someone is signed in. */
export type CallAsUser = <T>(req: Request, res: Response, request: ApiRequest<T>) => Promise<T>;

export function createUserApi({ client, authSession, refresher, cookie, now }: UserApiDeps): CallAsUser {
  /** One call, with a 429 turned into a wait remembered by every instance. */
  async function callOnce<T>(req: Request, request: ApiRequest<T>, auth: SignedInSession): Promise<T> {
    try {
      return await client.callApi(auth.tokens.accessToken, request);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'PROVIDER_RATE_LIMITED') throw error;
      const retryAfterSeconds = error.retryAfterSeconds ?? 60;
      await refresher.update(req.session, (session) => {
        session.apiNotBefore = { ...session.apiNotBefore, [request.name]: now() + retryAfterSeconds * 1000 };
      });
      throw rateLimited(request, retryAfterSeconds, error);
    }
  }

  return async function callAsUser(req, res, request) {
    const auth = authSession.read(req.session);
    if (auth === undefined) throw new AppError('SIGN_IN_REQUIRED', 'No signed-in session.');
    const waitMs = (req.session.apiNotBefore?.[request.name] ?? 0) - now();
    if (waitMs > 0) throw rateLimited(request, Math.ceil(waitMs / 1000));
    try {
      return await callOnce(req, request, auth);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'ACCESS_TOKEN_REJECTED') throw error;
      req.log.info({ api: request.name, provider: error.provider }, 'access token rejected; refreshing once');
      const fresh = await refreshOrSignOut(refresher, cookie, req, res, auth);
      return callOnce(req, request, fresh);
    }
  };
}

function rateLimited(request: ApiRequest<unknown>, retryAfterSeconds: number, cause?: AppError): AppError {
  const message = `RingCentral asked to wait ${retryAfterSeconds} s before the next ${request.operation} for this session.`;
  return new AppError('API_RATE_LIMITED', message, {
    retryAfterSeconds,
    ...(cause === undefined
      ? {}
      : { cause, ...(cause.provider === undefined ? {} : { provider: cause.provider }) }),
  });
}
