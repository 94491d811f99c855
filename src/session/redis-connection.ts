// The app's one connection to Redis, with a deadline on every call. A frozen Redis (SIGSTOP, a network
// partition, an overloaded server) errors nothing: the connection stays open and commands wait for ever.
// node-redis's own command timeout stops counting once a command is written to the socket, so the deadline
// is kept here (../shared/docs/redis-faults-and-ha.md has the measurements):
//  - every call races REDIS_TIMEOUT_MS; past it the call fails (the page becomes a 503), and
//  - the connection is recycled, so the commands still waiting on it fail at once, and later calls fail in
//    no time (no offline queue) until Redis answers again.
// Work that must be undone once Redis is back (a lock whose fate is unknown) is queued with `whenBack`.
import { createClient } from 'redis';
import type { Logger } from '../logger.js';

export type RedisClient = ReturnType<typeof openClient>;

export interface RedisConnection {
  /** The client, for libraries that take one (connect-redis); call it through `call`. */
  readonly client: RedisClient;
  /** One Redis call, settled within the deadline; a missed deadline recycles the connection. */
  call<T>(command: (client: RedisClient) => Promise<T>): Promise<T>;
  /** Runs `task` as soon as the connection is ready again (at once if it is). Best effort. */
  whenBack(task: () => Promise<unknown>): void;
  /** Answers PING within the deadline. */
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}

export interface RedisConnectionOptions {
  readonly url: string | undefined;
  readonly timeoutMs: number;
  readonly logger: Logger;
}

/** Tasks kept for when Redis is back, at most. */
const MAX_PENDING = 1_000;

export class RedisTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`Redis did not answer within ${timeoutMs} ms`);
    this.name = 'RedisTimeoutError';
  }
}

export function createRedisConnection({ url, timeoutMs, logger }: RedisConnectionOptions): RedisConnection {
  const client = openClient(url, timeoutMs);
  let healthy = true;
  let recycling = false;
  const pending: (() => Promise<unknown>)[] = [];

  const runPending = () => {
    for (const task of pending.splice(0)) void task().catch(() => undefined);
  };
  client.on('error', (error: Error) => {
    if (healthy) logger.error({ errorName: error.name, message: error.message }, 'Redis unavailable');
    healthy = false;
  });
  client.on('ready', () => {
    if (!healthy) logger.info('Redis available again');
    healthy = true;
    runPending();
  });

  const connect = () =>
    client.connect().then(
      () => undefined,
      // The first connection is retried by the reconnect strategy; this only reports it.
      (error: unknown) => logger.error({ message: String(error).slice(0, 300) }, 'Redis connection failed'),
    );

  /** Drops the connection whose commands stopped answering, and opens a new one. */
  function recycle() {
    if (recycling) return;
    recycling = true;
    if (healthy) logger.error({ timeoutMs }, 'Redis did not answer in time; reconnecting');
    healthy = false;
    client.destroy();
    void connect().finally(() => (recycling = false));
  }

  // Not awaited: the app starts (and says "not ready") even while Redis is still down.
  void connect();

  return {
    client,
    call(command) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new RedisTimeoutError(timeoutMs));
          recycle();
        }, timeoutMs);
        command(client).then(
          (value) => {
            clearTimeout(timer);
            resolve(value);
          },
          (error: unknown) => {
            clearTimeout(timer);
            reject(error instanceof Error ? error : new Error(String(error)));
          },
        );
      });
    },
    whenBack(task) {
      // Bounded: what is dropped (a leftover lock) ends by its own TTL.
      if (pending.length >= MAX_PENDING) pending.shift();
      pending.push(task);
      if (client.isReady) runPending();
    },
    async isReady() {
      if (!client.isReady) return false;
      try {
        return (await this.call((redis) => redis.ping())) === 'PONG';
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

function openClient(url: string | undefined, timeoutMs: number) {
  return createClient({
    url,
    // While Redis is away, fail each command at once instead of queueing it.
    disableOfflineQueue: true,
    // An idle healthy connection is pinged, so the socket timeout below never drops it.
    pingInterval: Math.max(100, Math.floor(timeoutMs / 3)),
    socket: {
      connectTimeout: timeoutMs,
      // Node's idle timer on the socket: ends a connection that stopped answering (a freeze at connect).
      socketTimeout: timeoutMs,
      // Keep reconnecting for ever, backing off to one try every 2 s (node-redis's default gives up for good
      // after a socket timeout).
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000),
    },
  });
}
