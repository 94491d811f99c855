// One refresh at a time per session, across every instance. RingCentral refresh tokens are single-use: two
// requests refreshing at once would leave one of them (and then the user) holding a dead refresh token.
//  - In this process, concurrent requests of one session share one refresh (single-flight).
//  - Across instances, a lock in the session store decides who refreshes; the others wait, re-read the
//    session and use the tokens the winner stored.
//  - After a 429, the wait RingCentral asked for is kept in the session, so no instance calls again before
//    it is over: each call during RingCentral's penalty window starts the window again.
//  - Any other write a request makes to a signed-in session (the wait after an API call's 429) takes the
//    same lock and starts from the stored session, so it cannot put back tokens another instance replaced.
//  - Ending the session (logout) takes the same lock: it waits for a refresh in flight, then revokes the
//    tokens that refresh stored, and a refresh that starts later finds the session gone. Without that a
//    refresh finishing after logout wrote the session back, with tokens no one revoked.
import type { SessionData, Store } from 'express-session';
import type { AuthService } from '../auth/auth-service.js';
import { AppError } from '../errors/app-error.js';
import type { AuthSession, SignedInSession } from './auth-session.js';
import { destroySession, saveSession, type LiveSession } from './session-calls.js';
import type { RefreshLock } from './session-backend.js';

export interface TokenRefresher {
  /** Fresh tokens for this session, written into it and saved; throws SESSION_ENDED when they are dead. */
  refresh(session: LiveSession, current: SignedInSession): Promise<SignedInSession>;
  /**
   * Destroys the session once no refresh of it is in flight, on any instance, and returns the newest
   * tokens it held, to be revoked (undefined if it was already gone). Calls `onWait` if it has to wait.
   */
  end(session: LiveSession, onWait: () => void): Promise<SignedInSession | undefined>;
  /**
   * Applies `change` to the session as the store holds it now (newest tokens included) and saves it, under
   * the refresh lock. Does nothing if the session is gone.
   */
  update(session: LiveSession, change: (data: LiveSession) => void): Promise<void>;
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
  /** The session's data as the store holds it now (another instance may have changed it). */
  const readData = (sessionId: string) =>
    new Promise<SessionData | null | undefined>((resolve, reject) =>
      store.get(sessionId, (error: unknown, found?: SessionData | null) =>
        error ? reject(toError(error)) : resolve(found),
      ),
    );

  /** The signed-in state as stored now, and its refresh's 429 wait. */
  async function readStored(sessionId: string) {
    const data = await readData(sessionId);
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

  /** The lock, waiting for its holder up to WAIT_FOR_OTHERS_MS; undefined when it never came free. */
  async function acquireWithin(sessionId: string, onWait: () => void) {
    const giveUpAt = now() + WAIT_FOR_OTHERS_MS;
    for (let waited = false; ; waited = true) {
      const release = await lock.acquire(sessionId, LOCK_TTL_MS);
      if (release !== undefined || now() > giveUpAt) return release;
      if (!waited) onWait();
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  return {
    async update(session, change) {
      const release = await acquireWithin(session.id, () => undefined);
      try {
        const data = await readData(session.id);
        if (data?.auth === undefined) return;
        // This request's copy may hold tokens a refresh elsewhere replaced: start from the stored ones.
        session.auth = data.auth;
        session.apiNotBefore = { ...data.apiNotBefore };
        change(session);
        await saveSession(session);
      } finally {
        await release?.();
      }
    },

    async end(session, onWait) {
      const sessionId = session.id;
      const local = inFlight.get(sessionId);
      if (local !== undefined) {
        onWait();
        await local.catch(() => undefined); // its outcome is read from the store below
      }
      // Past the wait the session is destroyed anyway: the store never lets a late save bring it back.
      const release = await acquireWithin(sessionId, onWait);
      try {
        const { stored } = await readStored(sessionId);
        await destroySession(session);
        return stored;
      } finally {
        await release?.();
      }
    },

    async refresh(session, current) {
      const sessionId = session.id;
      let shared = inFlight.get(sessionId);
      if (shared === undefined) {
        shared = refreshExclusively(session, current).finally(() => inFlight.delete(sessionId));
        inFlight.set(sessionId, shared);
      }
      const fresh = await shared;
      // This request's own copy too, so nothing it saves later can put the old tokens back. (The request
      // that refreshed has them already; sealing again would only make it save the session once more.)
      if (authSession.read(session)?.tokens.accessToken !== fresh.tokens.accessToken)
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
