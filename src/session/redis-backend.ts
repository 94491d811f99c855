// Sessions in Redis, shared by every instance: the store, the refresh lock, one-time claims and the
// sign-in rate limit's counters, each call bounded by REDIS_TIMEOUT_MS (redis-connection.ts). A Redis that
// fails or freezes gives 503s within that time, never a hung request.
import { Store, type SessionData } from 'express-session';
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
/**
 * A destroyed session's key keeps a tombstone (this value) for as long as a request that loaded it could
 * still save it: logout wins over a late save. One key per session, so each script touches one key (and
 * one slot, with Redis Cluster).
 */
const ENDED = 'ended';
const key = (sid: string) => `${PREFIX}sess:${sid}`;
/** Writes the session unless its key holds the tombstone. */
const SET_UNLESS_ENDED =
  "if redis.call('get', KEYS[1]) == ARGV[3] then return 0 end redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1";
/** Replaces an existing session by the tombstone; a key that was never there stays absent. */
const DESTROY_AND_MARK = "return redis.call('set', KEYS[1], ARGV[2], 'XX', 'PX', ARGV[1])";

export function createRedisBackend(config: SessionConfig, logger: Logger): SessionBackend {
  if (config.redis === undefined) throw new Error('SESSION_STORE=redis without a Redis configuration');
  const redis = createRedisConnection(config.redis, logger);

  const releaseIfHolder = (name: string, value: string) =>
    redis.call((commands) => commands.eval(RELEASE_IF_HOLDER, { keys: [name], arguments: [value] }));

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
 * express-session's store in Redis: one key per session (JSON, the idle timeout as its TTL). Each call is
 * bounded by the connection's deadline, and a destroyed session stays destroyed: the write checks for the
 * tombstone the destroy leaves, in one atomic script, so a request that loaded the session before logout
 * cannot bring it back when it saves at its end. (connect-redis does the rest of this job, but neither the
 * deadline nor the tombstone, and one key per script is what Redis Cluster needs.)
 */
class BoundedRedisStore extends Store {
  readonly #redis: RedisConnection;
  readonly #idleTimeoutMs: number;

  constructor(redis: RedisConnection, idleTimeoutMs: number) {
    super();
    this.#redis = redis;
    this.#idleTimeoutMs = idleTimeoutMs;
  }

  override get(sid: string, done: (error: unknown, session?: SessionData | null) => void): void {
    this.#redis
      .call((redis) => redis.get(key(sid)))
      .then(
        (json) => done(null, json === null || json === ENDED ? null : (JSON.parse(json) as SessionData)),
        (error: unknown) => done(error),
      );
  }

  override set(sid: string, session: SessionData, done?: (error?: unknown) => void): void {
    this.#settle(done, (redis) =>
      redis.eval(SET_UNLESS_ENDED, {
        keys: [key(sid)],
        arguments: [JSON.stringify(session), String(this.#idleTimeoutMs), ENDED],
      }),
    );
  }

  /** Renews the idle time (of a tombstone too, which is harmless). */
  override touch(sid: string, _session: SessionData, done?: (error?: unknown) => void): void {
    this.#settle(done, (redis) => redis.pExpire(key(sid), this.#idleTimeoutMs));
  }

  override destroy(sid: string, done?: (error?: unknown) => void): void {
    this.#settle(done, (redis) =>
      redis.eval(DESTROY_AND_MARK, { keys: [key(sid)], arguments: [String(this.#idleTimeoutMs), ENDED] }),
    );
  }

  #settle(done: ((error?: unknown) => void) | undefined, command: Parameters<RedisConnection['call']>[0]) {
    this.#redis.call(command).then(
      () => done?.(),
      (error: unknown) => done?.(error),
    );
  }
}
