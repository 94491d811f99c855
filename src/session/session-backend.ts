// Where sessions are kept: in-process and bounded by default, Redis when several instances share sessions.
// The backend is express-session's store plus what goes with it: the refresh lock, readiness and close.
// Either way a failing store is reported fast (503), never waited on.
import type { SessionData, Store } from 'express-session';
import { RedisStore } from 'connect-redis';
import { LRUCache } from 'lru-cache';
import { createClient } from 'redis';
import type { SessionConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { randomToken } from '../random-token.js';
import { MemorySessionStore } from './memory-store.js';

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
  /** For /readyz: can the store answer right now? */
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}

/** Compare-and-delete: a lock that expired and was taken by someone else is not ours to release. */
const RELEASE_IF_HOLDER =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
/** A session is written unless it was destroyed (KEYS[2], the tombstone): logout wins over a late save. */
const SET_UNLESS_ENDED =
  "if redis.call('exists', KEYS[2]) == 1 then return 0 end redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1";
/** Destroy, leaving a tombstone for as long as a request that loaded the session could still save it. */
const DESTROY_AND_MARK =
  "if redis.call('del', KEYS[1]) == 1 then redis.call('set', KEYS[2], '1', 'PX', ARGV[1]) end return 1";

/** How many locks, claims or tombstones the in-process store keeps at most (each lasts minutes at most). */
export const SHORT_LIVED_MAX = 10_000;

/** Expired sessions are dropped from the in-process store at least this often. */
const PRUNE_EVERY_MS = 60_000;

export function createSessionBackend(
  config: SessionConfig,
  logger: Logger,
  now: () => number = Date.now,
): SessionBackend {
  const created = config.store === 'redis' ? createRedisBackend(config, logger) : createMemoryBackend(config);
  throttleTouch(created.store, config, now);
  return created;
}

/**
 * The idle timeout is the store's TTL, which express-session renews through `store.touch` on every request
 * that leaves the session unchanged: a re-write of the entry in memory, an EXPIRE round trip in Redis. An
 * idle timeout of minutes needs no renewal per request, so each session is touched at most once per
 * `touchEveryMs` here (per instance). The bookkeeping is bounded: when full it is forgotten, which only
 * costs one early touch per session.
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

function createRedisBackend(config: SessionConfig, logger: Logger): SessionBackend {
  const client = createClient({
    url: config.redisUrl,
    // While Redis is down, fail each command at once instead of queueing it until a request times out.
    disableOfflineQueue: true,
    commandOptions: { timeout: config.redisTimeoutMs },
    socket: {
      connectTimeout: config.redisTimeoutMs,
      // Keep reconnecting for ever, backing off to one try every 2 s: the app recovers when Redis is back.
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000),
    },
  });
  let healthy = true;
  client.on('error', (error: Error) => {
    if (healthy)
      logger.error({ errorName: error.name, message: error.message }, 'session store (Redis) unavailable');
    healthy = false;
  });
  client.on('ready', () => {
    if (!healthy) logger.info('session store (Redis) available again');
    healthy = true;
  });
  // Not awaited: the app starts (and says "not ready") even while Redis is still down.
  client
    .connect()
    .catch((error: unknown) => logger.error({ message: String(error) }, 'Redis connection failed'));

  return {
    // The TTL is the idle timeout; touch (throttled above) renews it with EXPIRE.
    store: new EndingRedisStore(client, config.idleTimeoutMs),
    lock: {
      // Redis's single-instance lock: SET NX PX with a random value, released only by its holder.
      async acquire(key, ttlMs) {
        const name = `rcapp:refresh-lock:${key}`;
        const value = randomToken(16);
        if (
          (await client.set(name, value, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } })) !==
          'OK'
        )
          return undefined;
        return async () => {
          await client.eval(RELEASE_IF_HOLDER, { keys: [name], arguments: [value] });
        };
      },
    },
    onceOnly: {
      async claim(key, ttlMs) {
        const name = `rcapp:once:${key}`;
        return (
          (await client.set(name, '1', { condition: 'NX', expiration: { type: 'PX', value: ttlMs } })) ===
          'OK'
        );
      },
    },
    async isReady() {
      if (!client.isReady) return false;
      try {
        return (await client.ping()) === 'PONG';
      } catch {
        return false;
      }
    },
    async close() {
      if (client.isOpen) await client.close();
      else client.destroy();
    },
  };
}

/** What the store needs of the client beyond connect-redis: running a script. */
interface ScriptRunner {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/**
 * connect-redis, except that a destroyed session stays destroyed: the write and the destroy each check or
 * leave a tombstone in one atomic script, so a request that loaded the session before logout cannot bring
 * it back when it saves at its end.
 */
class EndingRedisStore extends RedisStore {
  readonly #redis: ScriptRunner;
  readonly #idleTimeoutMs: number;

  constructor(client: ScriptRunner, idleTimeoutMs: number) {
    super({ client, prefix: 'rcapp:sess:', ttl: Math.ceil(idleTimeoutMs / 1000) });
    this.#redis = client;
    this.#idleTimeoutMs = idleTimeoutMs;
  }

  override async set(sid: string, session: SessionData, done?: (error?: unknown) => void) {
    try {
      await this.#redis.eval(SET_UNLESS_ENDED, {
        keys: [this.prefix + sid, endedKey(sid)],
        arguments: [JSON.stringify(session), String(this.#idleTimeoutMs)],
      });
      done?.();
    } catch (error) {
      done?.(error);
    }
  }

  override async destroy(sid: string, done?: (error?: unknown) => void) {
    try {
      await this.#redis.eval(DESTROY_AND_MARK, {
        keys: [this.prefix + sid, endedKey(sid)],
        arguments: [String(this.#idleTimeoutMs)],
      });
      done?.();
    } catch (error) {
      done?.(error);
    }
  }
}

const endedKey = (sid: string) => `rcapp:ended:${sid}`;
