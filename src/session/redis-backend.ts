// Sessions in Redis, shared by every instance: the store, the refresh lock, one-time claims and the
// sign-in rate limit's counters, each call bounded by REDIS_TIMEOUT_MS (redis-connection.ts). A Redis that
// fails or freezes gives 503s within that time, never a hung request.
import type { SessionData } from 'express-session';
import { RedisStore } from 'connect-redis';
import type { SessionConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { randomToken } from '../random-token.js';
import { createRedisConnection, type RedisConnection } from './redis-connection.js';
import { createRedisRateLimitStore } from './redis-rate-limit.js';
import type { SessionBackend } from './session-backend.js';

const PREFIX = 'rcapp:';
/** Compare-and-delete: a lock that expired and was taken by someone else is not ours to release. */
const RELEASE_IF_HOLDER =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
/** A session is written unless it was destroyed (KEYS[2], the tombstone): logout wins over a late save. */
const SET_UNLESS_ENDED =
  "if redis.call('exists', KEYS[2]) == 1 then return 0 end redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1";
/** Destroy, leaving a tombstone for as long as a request that loaded the session could still save it. */
const DESTROY_AND_MARK =
  "if redis.call('del', KEYS[1]) == 1 then redis.call('set', KEYS[2], '1', 'PX', ARGV[1]) end return 1";

export function createRedisBackend(config: SessionConfig, logger: Logger): SessionBackend {
  const redis = createRedisConnection({ url: config.redisUrl, timeoutMs: config.redisTimeoutMs, logger });

  const releaseIfHolder = (name: string, value: string) =>
    redis.call((client) => client.eval(RELEASE_IF_HOLDER, { keys: [name], arguments: [value] }));

  return {
    store: new BoundedRedisStore(redis, config.idleTimeoutMs),
    lock: {
      // Redis's single-instance lock: SET NX PX with a random value, released only by its holder.
      async acquire(key, ttlMs) {
        const name = `${PREFIX}refresh-lock:${key}`;
        const value = randomToken(16);
        let answer: string | null;
        try {
          answer = await redis.call((client) =>
            client.set(name, value, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } }),
          );
        } catch (error) {
          // Past the deadline the SET may still run when Redis resumes, leaving a lock no one would release
          // before its TTL (and that session's refreshes waiting): release it as soon as Redis is back.
          redis.whenBack(() => releaseIfHolder(name, value));
          throw error;
        }
        if (answer !== 'OK') return undefined;
        return async () => {
          // The refresh is done; a release that cannot reach Redis now is done once it is back.
          await releaseIfHolder(name, value).catch(() => redis.whenBack(() => releaseIfHolder(name, value)));
        };
      },
    },
    onceOnly: {
      async claim(key, ttlMs) {
        const answer = await redis.call((client) =>
          client.set(`${PREFIX}once:${key}`, '1', {
            condition: 'NX',
            expiration: { type: 'PX', value: ttlMs },
          }),
        );
        return answer === 'OK';
      },
    },
    rateLimitStore: (name) => createRedisRateLimitStore(redis, `${PREFIX}rate:${name}:`, logger),
    isReady: () => redis.isReady(),
    close: () => redis.close(),
  };
}

/**
 * connect-redis, with each call bounded by the connection's deadline, and a destroyed session that stays
 * destroyed: the write and the destroy check or leave a tombstone in one atomic script, so a request that
 * loaded the session before logout cannot bring it back when it saves at its end. connect-redis's own
 * methods remain for listing and clearing (tests, tooling).
 */
class BoundedRedisStore extends RedisStore {
  readonly #redis: RedisConnection;
  readonly #idleTimeoutMs: number;

  constructor(redis: RedisConnection, idleTimeoutMs: number) {
    super({ client: redis.client, prefix: `${PREFIX}sess:`, ttl: Math.ceil(idleTimeoutMs / 1000) });
    this.#redis = redis;
    this.#idleTimeoutMs = idleTimeoutMs;
  }

  override async get(sid: string, done: (error: unknown, session?: SessionData | null) => void) {
    try {
      const json = await this.#redis.call((client) => client.get(this.prefix + sid));
      done(null, json === null ? null : (JSON.parse(json) as SessionData));
    } catch (error) {
      done(error);
    }
  }

  override async set(sid: string, session: SessionData, done?: (error?: unknown) => void) {
    await this.#settle(done, (client) =>
      client.eval(SET_UNLESS_ENDED, {
        keys: [this.prefix + sid, endedKey(sid)],
        arguments: [JSON.stringify(session), String(this.#idleTimeoutMs)],
      }),
    );
  }

  override async touch(sid: string, _session: SessionData, done?: (error?: unknown) => void) {
    await this.#settle(done, (client) => client.pExpire(this.prefix + sid, this.#idleTimeoutMs));
  }

  override async destroy(sid: string, done?: (error?: unknown) => void) {
    await this.#settle(done, (client) =>
      client.eval(DESTROY_AND_MARK, {
        keys: [this.prefix + sid, endedKey(sid)],
        arguments: [String(this.#idleTimeoutMs)],
      }),
    );
  }

  async #settle(
    done: ((error?: unknown) => void) | undefined,
    command: Parameters<RedisConnection['call']>[0],
  ): Promise<void> {
    try {
      await this.#redis.call(command);
      done?.();
    } catch (error) {
      done?.(error);
    }
  }
}

const endedKey = (sid: string) => `${PREFIX}ended:${sid}`;
