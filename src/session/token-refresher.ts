// One refresh at a time per session, across every instance. RingCentral refresh tokens are single-use: two
// requests refreshing at once would leave one of them (and then the user) holding a dead refresh token.
//  - In this process, concurrent requests of one session share one refresh (single-flight).
//  - Across instances, a lock in the session store decides who refreshes; the others wait, re-read the
//    session and use the tokens the winner stored.
//  - After a 429, the wait RingCentral asked for is kept in the session, so no instance calls again before
//    it is over: each call during RingCentral's penalty window starts the window again.
import type { SessionData, Store } from 'express-session';
import type { AuthService } from '../auth/auth-service.js';
import { AppError } from '../errors/app-error.js';
import type { AuthSession, SignedInSession } from './auth-session.js';
import { saveSession, type LiveSession } from './session-calls.js';
import type { RefreshLock } from './session-backend.js';

export interface TokenRefresher {
  /** Fresh tokens for this session, written into it and saved; throws SESSION_ENDED when they are dead. */
  refresh(session: LiveSession, current: SignedInSession): Promise<SignedInSession>;
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
  /** The session as the store holds it now (another instance may have changed it), and its 429 wait. */
  async function readStored(sessionId: string) {
    const data = await new Promise<SessionData | null | undefined>((resolve, reject) =>
      store.get(sessionId, (error: unknown, found?: SessionData | null) =>
        error ? reject(toError(error)) : resolve(found),
      ),
    );
    return { stored: data ? authSession.read(data) : undefined, notBefore: data?.refreshNotBefore };
  }

  /** Calls RingCentral unless a 429 asked this session to wait; a new 429 is remembered for every instance. */
  async function refreshUnlessWaiting(
    session: LiveSession,
    stored: SignedInSession,
    notBefore: number | undefined,
  ) {
    const waitMs = (notBefore ?? 0) - now();
    if (waitMs > 0) throw stillRateLimited(Math.ceil(waitMs / 1000));
    try {
      return await authService.refresh(stored.tokens);
    } catch (error) {
      if (error instanceof AppError && error.code === 'PROVIDER_RATE_LIMITED') {
        session.refreshNotBefore = now() + (error.retryAfterSeconds ?? 60) * 1000;
        await saveSession(session);
      }
      throw error;
    }
  }

  /** True when the stored tokens are not the ones this request started from: someone else refreshed. */
  const refreshedElsewhere = (stored: SignedInSession, current: SignedInSession) =>
    stored.tokens.accessToken !== current.tokens.accessToken;

  async function refreshExclusively(session: LiveSession, current: SignedInSession) {
    const sessionId = session.id;
    const giveUpAt = now() + WAIT_FOR_OTHERS_MS;
    for (;;) {
      const release = await lock.acquire(sessionId, LOCK_TTL_MS);
      if (release !== undefined) {
        try {
          // Re-read under the lock: another instance may have refreshed since this request loaded the session.
          const { stored, notBefore } = await readStored(sessionId);
          if (stored === undefined) throw sessionGone();
          if (refreshedElsewhere(stored, current)) return stored;
          const next: SignedInSession = {
            ...stored,
            tokens: await refreshUnlessWaiting(session, stored, notBefore),
            lastRefreshedAt: now(),
          };
          authSession.write(session, next);
          delete session.refreshNotBefore;
          await saveSession(session); // stored before the lock is released, so the next holder sees it
          return next;
        } finally {
          await release();
        }
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      const { stored } = await readStored(sessionId);
      if (stored === undefined) throw sessionGone();
      if (refreshedElsewhere(stored, current)) return stored;
      if (now() > giveUpAt) {
        throw new AppError('PROVIDER_TIMEOUT', 'Another refresh of this session did not finish in time.');
      }
    }
  }

  return {
    async refresh(session, current) {
      const sessionId = session.id;
      let shared = inFlight.get(sessionId);
      if (shared === undefined) {
        shared = refreshExclusively(session, current).finally(() => inFlight.delete(sessionId));
        inFlight.set(sessionId, shared);
      }
      const fresh = await shared;
      // This request's own copy too, so nothing it saves later can put the old tokens back.
      authSession.write(session, fresh);
      return fresh;
    },
  };
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function stillRateLimited(retryAfterSeconds: number): AppError {
  return new AppError('PROVIDER_RATE_LIMITED', 'RingCentral asked to wait before refreshing this session.', {
    retryAfterSeconds,
  });
}

function sessionGone(): AppError {
  return new AppError('SESSION_ENDED', 'The session was ended (signed out elsewhere) during the refresh.');
}
