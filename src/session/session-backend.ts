// Where sessions are kept: in-process and bounded by default, Redis when several instances share sessions.
// The backend is express-session's store plus what goes with it: the refresh lock, readiness and close.
// Either way a failing store is reported fast (503), never waited on.
import type { Store as RateLimitStore } from 'express-rate-limit';
import type { Store } from 'express-session';
import { LRUCache } from 'lru-cache';
import type { SessionConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { randomToken } from '../random-token.js';
import { MemorySessionStore } from './memory-store.js';
import { createRedisBackend } from './redis-backend.js';

/** Mutual exclusion for one token refresh per session, across every instance sharing the store. */
export interface RefreshLock {
  /** A release function when acquired, undefined when another holder has it. Expires by itself after ttlMs. */
  acquire(key: string, ttlMs: number): Promise<(() => Promise<void>) | undefined>;
}

/** Things that may happen once only, across every instance: the redemption of a sign-in's state. */
export interface OnceOnly {
  /** True for the first caller with this key within ttlMs, false for every later one. Atomic. */
  claim(key: string, ttlMs: number): Promise<boolean>;
}

export interface SessionBackend {
  /** The express-session store. A destroyed session is never written back by a request that loaded it. */
  readonly store: Store;
  readonly lock: RefreshLock;
  readonly onceOnly: OnceOnly;
  /**
   * Where a rate limit keeps its counters so that every instance counts together; undefined keeps them in
   * this process (the in-process store serves one instance anyway).
   */
  readonly rateLimitStore?: (name: string) => RateLimitStore;
  /** For /readyz: can the store answer right now? */
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}

/** How many locks, claims or tombstones the in-process store keeps at most (each lasts minutes at most). */
export const SHORT_LIVED_MAX = 10_000;

/** Expired sessions are dropped from the in-process store at least this often. */
const PRUNE_EVERY_MS = 60_000;

export function createSessionBackend(
  config: SessionConfig,
  logger: Logger,
  now: () => number = Date.now,
): SessionBackend {
  if (config.store !== 'redis') return createMemoryBackend(config);
  const redis = createRedisBackend(config, logger);
  throttleTouch(redis.store, config, now);
  return redis;
}

/**
 * The idle timeout is the store's TTL, which express-session renews through `store.touch` on every request
 * that leaves the session unchanged: an EXPIRE round trip in Redis. An idle timeout of minutes needs no
 * renewal per request, so each session is touched at most once per `touchEveryMs` here (per instance). The
 * bookkeeping is bounded: when full it is forgotten, which only costs one early touch per session. (The
 * in-process store's touch is a lookup in its own map, as cheap as this bookkeeping, so it is not throttled.)
 */
function throttleTouch(store: Store, config: SessionConfig, now: () => number) {
  const touch = store.touch?.bind(store);
  if (touch === undefined) return;
  const touchEveryMs = Math.min(60_000, config.idleTimeoutMs / 10);
  const touchedAt = new Map<string, number>();
  store.touch = (sid, sess, done) => {
    const at = now();
    const last = touchedAt.get(sid);
    if (last !== undefined && at - last < touchEveryMs) return done?.();
    if (touchedAt.size >= config.maxSessions) touchedAt.clear();
    touchedAt.set(sid, at);
    touch(sid, sess, done);
  };
}

/** Bounded: an idle TTL per session, at most `maxSessions` (least recently used dropped), expired ones pruned. */
function createMemoryBackend(config: SessionConfig): SessionBackend {
  const store = new MemorySessionStore({
    maxSessions: config.maxSessions,
    idleTimeoutMs: config.idleTimeoutMs,
    maxEnded: Math.min(config.maxSessions, SHORT_LIVED_MAX),
  });
  const pruning = setInterval(() => store.prune(), PRUNE_EVERY_MS).unref();
  // Locks and claims as in Redis, in this process, each ending by itself after its TTL. They live seconds
  // (a refresh) to minutes (a sign-in's state), so a smaller bound than the sessions' is plenty.
  const bounded = { max: Math.min(config.maxSessions, SHORT_LIVED_MAX), ttl: config.idleTimeoutMs };
  const locks = new LRUCache<string, string>(bounded);
  const claims = new LRUCache<string, true>(bounded);
  return {
    store,
    lock: {
      acquire(key, ttlMs) {
        if (locks.has(key)) return Promise.resolve(undefined);
        const holder = randomToken(16);
        locks.set(key, holder, { ttl: ttlMs });
        return Promise.resolve(() => {
          if (locks.peek(key) === holder) locks.delete(key);
          return Promise.resolve();
        });
      },
    },
    onceOnly: {
      claim(key, ttlMs) {
        if (claims.has(key)) return Promise.resolve(false);
        claims.set(key, true, { ttl: ttlMs });
        return Promise.resolve(true);
      },
    },
    isReady: () => Promise.resolve(true),
    close: () => Promise.resolve(clearInterval(pruning)),
  };
}
