// The app's one connection to Redis (one server, a Sentinel-watched master, or a Cluster), with a deadline
// on every call. A frozen Redis (SIGSTOP, a network partition, an overloaded server) errors nothing: the
// connection stays open and commands wait for ever, and node-redis stops timing a command once it is written
// to the socket. So the deadline is kept here (../shared/docs/redis-faults-and-ha.md has the measurements):
//  - every call races REDIS_TIMEOUT_MS; past it the call fails (the page becomes a 503),
//  - the client is replaced by a fresh one, so the commands still waiting fail at once, and
//  - until a PING is answered again (tried every PROBE_EVERY_MS), every call fails at once: a request that
//    makes several calls waits for one deadline at most, whatever the client would do meanwhile.
// Sentinel and Cluster clients follow failovers by themselves; meanwhile their commands wait, and the same
// deadline turns that wait into fast 503s. Work to redo once Redis answers again (a lock whose fate is
// unknown) is queued with `whenBack`.
import { createClient, createCluster, createSentinel } from 'redis';
import type { RedisConfig } from '../config.js';
import type { Logger } from '../logger.js';

/** The commands the app sends, as each kind of client offers them. */
export interface RedisCommands {
  get(key: string): Promise<string | null>;
  set(
    key: string,
    value: string,
    options: { condition: 'NX'; expiration: { type: 'PX'; value: number } },
  ): Promise<string | null>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  pExpire(key: string, milliseconds: number): Promise<number>;
  /** Any command, sent to the node that holds `key` (Cluster needs the key to route it). */
  raw(key: string | undefined, command: string[]): Promise<unknown>;
}

export interface RedisConnection {
  /** One Redis call, settled within the deadline; a missed deadline replaces the client. */
  call<T>(command: (redis: RedisCommands) => Promise<T>): Promise<T>;
  /** Runs `task` once Redis answers a call again. Best effort, bounded. */
  whenBack(task: () => Promise<unknown>): void;
  /** Does every node the app depends on answer PING within the deadline? */
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}

export class RedisTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`Redis did not answer within ${timeoutMs} ms`);
    this.name = 'RedisTimeoutError';
  }
}

/** Tasks kept for when Redis is back, at most. */
const MAX_PENDING = 1_000;
/** While Redis is away, how often a PING checks whether it is back. */
const PROBE_EVERY_MS = 200;

export class RedisUnavailableError extends Error {
  constructor() {
    super('Redis is not answering (waiting for it to come back)');
    this.name = 'RedisUnavailableError';
  }
}

export function createRedisConnection(config: RedisConfig, logger: Logger): RedisConnection {
  const { timeoutMs } = config;
  let healthy = true;
  /** After a missed deadline, until Redis answers a PING: every call fails at once. */
  let away = false;
  const pending: (() => Promise<unknown>)[] = [];
  const reportDown = (message: string) => {
    if (healthy) logger.error({ message: message.slice(0, 300) }, 'Redis unavailable');
    healthy = false;
  };
  /** Redis answered: calls go through again, and what waited for this runs now. */
  const reportUp = () => {
    if (!healthy) logger.info('Redis available again');
    healthy = true;
    away = false;
    for (const task of pending.splice(0)) void task().catch(() => undefined);
  };

  const open = () => {
    const opened = openClient(config);
    opened.onError((error) => reportDown(error.message));
    // Not awaited: the app starts (and says "not ready") while Redis is still away. Clients retry their
    // first connection by themselves (our reconnect strategy), Sentinel's set does not: retry it here.
    const connect = (): Promise<unknown> =>
      opened.connect().catch((error: unknown) => {
        reportDown(String(error));
        if (opened === current) setTimeout(() => void connect(), 1_000).unref();
      });
    void connect();
    return opened;
  };
  let current = open();
  let closed = false;

  /** Drops the client whose commands stopped answering, starts a new one, and probes until it answers. */
  function giveUpOn(client: OpenClient) {
    if (client !== current) return;
    reportDown(`no answer within ${timeoutMs} ms; reconnecting`);
    current = open();
    client.destroy();
    if (!away) void probeUntilBack();
  }

  async function probeUntilBack() {
    away = true;
    while (away && !closed) {
      await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS).unref());
      await bounded(() => current.pingAll()).catch(() => undefined);
    }
  }

  function call<T>(command: (redis: RedisCommands) => Promise<T>): Promise<T> {
    return away ? Promise.reject(new RedisUnavailableError()) : bounded(command);
  }

  function bounded<T>(command: (redis: RedisCommands) => Promise<T>): Promise<T> {
    const client = current;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new RedisTimeoutError(timeoutMs));
        giveUpOn(client);
      }, timeoutMs);
      command(client.commands).then(
        (value) => {
          clearTimeout(timer);
          reportUp();
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  return {
    call,
    whenBack(task) {
      if (pending.length >= MAX_PENDING) pending.shift(); // what is dropped (a lock) ends by its TTL
      pending.push(task);
    },
    async isReady() {
      try {
        await call(() => current.pingAll());
        return true;
      } catch {
        return false;
      }
    },
    close: () => {
      closed = true;
      return current.close();
    },
  };
}

/** One client of the configured kind, seen through what the app needs of it. */
interface OpenClient {
  readonly commands: RedisCommands;
  connect(): Promise<unknown>;
  /** PING to every node the app depends on: the server, the master, or every Cluster master. */
  pingAll(): Promise<unknown>;
  onError(listener: (error: Error) => void): void;
  destroy(): void;
  close(): Promise<void>;
}

function openClient(config: RedisConfig): OpenClient {
  const { target, timeoutMs } = config;
  const socket = {
    connectTimeout: timeoutMs,
    // Node's idle timer on the socket: ends a connection that stopped answering.
    socketTimeout: timeoutMs,
    // Keep reconnecting for ever, backing off to one try every 2 s (node-redis's default gives up for good
    // after a socket timeout).
    reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000),
    ...(config.tls ? { tls: true as const } : {}),
  };
  const nodeOptions = {
    // While Redis is away, fail each command at once instead of queueing it.
    disableOfflineQueue: true,
    // An idle healthy connection is pinged, so the socket timeout never drops it.
    pingInterval: Math.max(100, Math.floor(timeoutMs / 3)),
    socket,
    ...(config.username === undefined ? {} : { username: config.username }),
    ...(config.password === undefined ? {} : { password: config.password }),
  };

  if (target.kind === 'single') {
    const client = createClient({ ...nodeOptions, url: target.url });
    return {
      commands: commandsOf(client, (_key, command) => client.sendCommand(command)),
      connect: () => client.connect(),
      pingAll: () => client.ping(),
      onError: (listener) => void client.on('error', listener),
      destroy: () => client.destroy(),
      close: async () => (client.isOpen ? void (await client.close()) : client.destroy()),
    };
  }

  if (target.kind === 'sentinel') {
    const client = createSentinel({
      name: target.masterName,
      sentinelRootNodes: target.sentinels.map(({ host, port }) => ({ host, port })),
      nodeClientOptions: nodeOptions,
      // The Sentinels need the same timeouts: one hung Sentinel otherwise held up recovery for 40 s.
      sentinelClientOptions: {
        ...nodeOptions,
        ...(config.sentinelPassword === undefined ? {} : { password: config.sentinelPassword }),
      },
    });
    return {
      commands: commandsOf(client, (_key, command) => client.sendCommand(false, command)),
      connect: () => client.connect(),
      pingAll: () => client.ping(),
      onError: (listener) => void client.on('error', listener),
      destroy: () => void client.destroy().catch(() => undefined),
      close: async () => void (await client.close().catch(() => undefined)),
    };
  }

  const client = createCluster({
    rootNodes: target.nodes.map(({ host, port }) => ({
      url: `${config.tls ? 'rediss' : 'redis'}://${host}:${port}`,
    })),
    // Everything a node connection needs (credentials, TLS, timeouts) goes in defaults.
    defaults: nodeOptions,
  });
  return {
    commands: commandsOf(client, (key, command) => client.sendCommand(key, false, command)),
    connect: () => client.connect(),
    pingAll: () =>
      Promise.all(client.masters.map(async (master) => (await client.nodeClient(master)).ping())),
    onError: (listener) => void client.on('error', listener),
    destroy: () => void client.destroy(),
    close: async () => void (await client.close().catch(() => undefined)),
  };
}

/** The app's commands on any of the three clients, which name them alike; only a raw command differs. */
function commandsOf(client: Omit<RedisCommands, 'raw'>, raw: RedisCommands['raw']): RedisCommands {
  return {
    get: (key) => client.get(key),
    set: (key, value, options) => client.set(key, value, options),
    eval: (script, options) => client.eval(script, options),
    pExpire: (key, ms) => client.pExpire(key, ms),
    raw,
  };
}
