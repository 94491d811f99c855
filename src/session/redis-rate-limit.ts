// The rate limits' counters in Redis, so every instance counts together (rate-limit-redis), adapted in two
// ways, each for a reason:
//  - rate-limit-redis loads its Lua scripts once (SCRIPT LOAD) and keeps a failed load for ever, so an app
//    started before Redis would never count. Here SCRIPT LOAD is answered with the script's SHA-1 without
//    asking Redis, and EVALSHA is sent as EVAL with the script: it works whenever Redis is up.
//  - With Redis away, the limit lets requests through (fails open): it protects RingCentral's quota, and a
//    sign-in needs the session store anyway, which then answers 503. One log line per outage, not one per
//    request on stderr.
import { createHash } from 'node:crypto';
import type { IncrementResponse, Store } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Logger } from '../logger.js';
import type { RedisConnection } from './redis-connection.js';

export function createRedisRateLimitStore(redis: RedisConnection, prefix: string, logger: Logger): Store {
  const scripts = new Map<string, string>();
  const inner = new RedisStore({
    prefix,
    // The cluster form of the callback: it names the key, so a Cluster can route the command.
    async sendCommandCluster({ key, command }) {
      const [name, subcommand, loaded] = command;
      if (name === 'SCRIPT' && subcommand === 'LOAD' && loaded !== undefined) {
        const sha = createHash('sha1').update(loaded).digest('hex');
        scripts.set(sha, loaded);
        return sha;
      }
      const script = name === 'EVALSHA' ? scripts.get(command[1] ?? '') : undefined;
      const reply = await redis.call((commands) =>
        commands.raw(key, script === undefined ? command : ['EVAL', script, ...command.slice(2)]),
      );
      // Its scripts answer numbers, or a list of them; rate-limit-redis checks the shape itself.
      return reply as RedisReply;
    },
  });
  return failOpen(inner, logger);
}

function failOpen(inner: RedisStore, logger: Logger): Store {
  let failing = false;
  const report = (error: unknown) => {
    if (!failing) logger.warn({ message: String(error).slice(0, 300) }, 'rate limit not counted: Redis away');
    failing = true;
  };
  const allow: IncrementResponse = { totalHits: 0, resetTime: undefined };
  return {
    prefix: inner.prefix,
    init: (options) => inner.init(options),
    async increment(key) {
      try {
        const counted = await inner.increment(key);
        failing = false;
        return counted;
      } catch (error) {
        report(error);
        return allow;
      }
    },
    async decrement(key) {
      await inner.decrement(key).catch(report);
    },
    async resetKey(key) {
      await inner.resetKey(key).catch(report);
    },
  };
}
