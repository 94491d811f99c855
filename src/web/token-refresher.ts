// One refresh at a time per session, across every instance. RingCentral refresh tokens are single-use: two
// requests refreshing at once would leave one of them (and then the user) holding a dead refresh token.
//  - In this process, concurrent requests of one session share one refresh (single-flight).
//  - Across instances, a lock in the session store decides who refreshes; the others wait, re-read the
//    session and use the tokens the winner stored.
//  - After a 429, the wait RingCentral asked for is kept in the session, so no instance calls again before
//    it is over: each call during RingCentral's penalty window starts the window again.
import type { Request } from 'express';
import type { SessionData, Store } from 'express-session';
import type { AuthService } from '../auth/auth-service.js';
import { AppError } from '../errors.js';
import type { RefreshLock } from '../session/session-store.js';
import { saveSession, type AuthSession, type SignedInSession } from './session.js';

export interface TokenRefresher {
  /** Fresh tokens for this request's session, written to its session; throws SESSION_ENDED when dead. */
  refresh(req: Request, current: SignedInSession): Promise<SignedInSession>;
}

export interface TokenRefresherDeps {
  readonly authService: AuthService;
  readonly authSession: AuthSession;
  readonly store: Store;
  readonly lock: RefreshLock;
  readonly now?: () => number;
}

/** Longer than a refresh can take (its deadline plus one retry), so a live holder never loses the lock. */
const LOCK_TTL_MS = 30_000;
/** How long a request waits for another instance's refresh before giving up with a 504. */
const WAIT_FOR_OTHERS_MS = 25_000;
const POLL_MS = 50;

export function createTokenRefresher({
  authService,
  authSession,
  store,
  lock,
  now = Date.now,
}: TokenRefresherDeps): TokenRefresher {
  const inFlight = new Map<string, Promise<SignedInSession>>();
  const readStoredSession = (sid: string) =>
    new Promise<SessionData | null | undefined>((resolve, reject) =>
      store.get(sid, (error: unknown, data?: SessionData | null) =>
        error ? reject(toError(error)) : resolve(data),
      ),
    );

  async function readStored(sid: string): Promise<SignedInSession | undefined> {
    const data = await readStoredSession(sid);
    return data === null || data === undefined ? undefined : authSession.decode(data);
  }

  /** Calls RingCentral unless a 429 asked this session to wait; a new 429 is remembered for every instance. */
  async function refreshUnlessWaiting(req: Request, stored: SignedInSession, notBefore: number | undefined) {
    const waitMs = (notBefore ?? 0) - now();
    if (waitMs > 0) throw stillRateLimited(Math.ceil(waitMs / 1000));
    try {
      return await authService.refresh(stored.tokens);
    } catch (error) {
      if (error instanceof AppError && error.code === 'PROVIDER_RATE_LIMITED') {
        req.session.refreshNotBefore = now() + (error.retryAfterSeconds ?? 60) * 1000;
        await saveSession(req);
      }
      throw error;
    }
  }

  /** True when the stored tokens are not the ones this request started from: someone else refreshed. */
  const refreshedElsewhere = (stored: SignedInSession, current: SignedInSession) =>
    stored.tokens.accessToken !== current.tokens.accessToken;

  async function refreshExclusively(req: Request, current: SignedInSession): Promise<SignedInSession> {
    const sid = req.sessionID;
    const giveUpAt = now() + WAIT_FOR_OTHERS_MS;
    for (;;) {
      const release = await lock.acquire(sid, LOCK_TTL_MS);
      if (release !== undefined) {
        try {
          // Re-read under the lock: another instance may have refreshed since this request loaded the session.
          const data = await readStoredSession(sid);
          const stored = data === null || data === undefined ? undefined : authSession.decode(data);
          if (stored === undefined) throw sessionGone();
          if (refreshedElsewhere(stored, current)) return stored;
          const next = {
            ...stored,
            tokens: await refreshUnlessWaiting(req, stored, data?.refreshNotBefore),
            lastRefreshedAt: now(),
          };
          authSession.write(req, next);
          delete req.session.refreshNotBefore;
          await saveSession(req); // stored before the lock is released, so the next holder sees it
          return next;
        } finally {
          await release();
        }
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      const stored = await readStored(sid);
      if (stored === undefined) throw sessionGone();
      if (refreshedElsewhere(stored, current)) return stored;
      if (now() > giveUpAt) {
        throw new AppError('PROVIDER_TIMEOUT', 'Another refresh of this session did not finish in time.', {
          status: 504,
        });
      }
    }
  }

  return {
    async refresh(req, current) {
      let shared = inFlight.get(req.sessionID);
      if (shared === undefined) {
        shared = refreshExclusively(req, current).finally(() => inFlight.delete(req.sessionID));
        inFlight.set(req.sessionID, shared);
      }
      const fresh = await shared;
      // This request's own copy too, so nothing it saves later can put the old tokens back.
      authSession.write(req, fresh);
      return fresh;
    },
  };
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function stillRateLimited(retryAfterSeconds: number): AppError {
  return new AppError('PROVIDER_RATE_LIMITED', 'RingCentral asked to wait before refreshing this session.', {
    status: 429,
    retryAfterSeconds,
  });
}

function sessionGone(): AppError {
  return new AppError('SESSION_ENDED', 'The session was ended (signed out elsewhere) during the refresh.', {
    status: 401,
  });
}
