// The express-session store: in-process and bounded by default, Redis when several instances share sessions.
// Either way a failing store is reported fast (503), never waited on.
import session, { type Store } from 'express-session';
import createMemoryStore from 'memorystore';
import { RedisStore } from 'connect-redis';
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import type { SessionConfig } from '../config.js';
import type { Logger } from '../logger.js';

/** Mutual exclusion for one token refresh per session, across every instance sharing the store. */
export interface RefreshLock {
  /** A release function when acquired, undefined when another holder has it. Expires by itself after ttlMs. */
  acquire(key: string, ttlMs: number): Promise<(() => Promise<void>) | undefined>;
}

export interface SessionStore {
  readonly store: Store;
  readonly lock: RefreshLock;
  /** For /readyz: can the store answer right now? */
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}

/** Compare-and-delete: a lock that expired and was taken by someone else is not ours to release. */
const RELEASE_IF_HOLDER =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/** Expired sessions are dropped from the in-process store at least this often. */
const PRUNE_EVERY_MS = 60_000;

export function createSessionStore(config: SessionConfig, logger: Logger): SessionStore {
  return config.store === 'redis'
    ? createRedisSessionStore(config, logger)
    : createMemorySessionStore(config);
}

/** Bounded: a TTL per session, at most `maxSessions` (least recently used dropped), expired ones pruned. */
function createMemorySessionStore(config: SessionConfig): SessionStore {
  const MemoryStore = createMemoryStore(session);
  const store = new MemoryStore({ checkPeriod: PRUNE_EVERY_MS, max: config.maxSessions, ttl: config.ttlMs });
  // Sessions have an absolute lifetime (rolling: false), so re-writing the entry on every request (which is
  // what express-session's touch does) buys nothing; express-session skips touch when the store has none.
  Object.defineProperty(store, 'touch', { value: undefined });
  return {
    store,
    // One process: the refresher's in-process single-flight is all the exclusion needed.
    lock: { acquire: () => Promise.resolve(() => Promise.resolve()) },
    isReady: () => Promise.resolve(true),
    close: () => Promise.resolve(store.stopInterval()),
  };
}

function createRedisSessionStore(config: SessionConfig, logger: Logger): SessionStore {
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
    // disableTouch: absolute lifetimes, as above; no EXPIRE round trip on every request.
    store: new RedisStore({
      client,
      prefix: 'rcapp:sess:',
      ttl: Math.ceil(config.ttlMs / 1000),
      disableTouch: true,
    }),
    lock: {
      // Redis's single-instance lock: SET NX PX with a random value, released only by its holder.
      async acquire(key, ttlMs) {
        const name = `rcapp:refresh-lock:${key}`;
        const value = randomBytes(16).toString('base64url');
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
