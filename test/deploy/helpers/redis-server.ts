// Runs a real redis-server on 127.0.0.1 and a free port, with its data in a temp folder, so a test can
// stop it (saving to disk, as a persistent Redis does) and start it again with the same data.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from 'redis';
import { freePort } from '../../helpers/free-port';

export interface RedisServer {
  readonly url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Every key and value, as a dump of the store would show them. */
  dump(): Promise<string>;
  /** SIGSTOP: the process stops answering but its sockets stay open, as in a partition or an overload. */
  freeze(): void;
  /** SIGCONT: answers again, working through what waited. */
  thaw(): void;
  /** One Redis command, as redis-cli would send it: ['TTL', key]. */
  command(args: string[]): Promise<unknown>;
  destroy(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'rcapp-redis-'));
  let child: ChildProcess | undefined;
  const url = `redis://127.0.0.1:${port}`;

  async function start() {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    await waitUntil(async () => (await ping(url)) === 'PONG');
  }

  async function stop() {
    const running = child;
    if (running === undefined || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    // SHUTDOWN SAVE writes the data to disk first, as a persistent production Redis would keep it.
    const client = createClient({ url, socket: { reconnectStrategy: false } });
    client.on('error', () => undefined); // Redis closing the socket is the point
    await client.connect();
    await client.sendCommand(['SHUTDOWN', 'SAVE']).catch(() => undefined);
    client.destroy();
    await exited;
    child = undefined;
  }

  await start();
  return {
    url,
    start,
    stop,
    async dump() {
      const client = createClient({ url });
      await client.connect();
      try {
        const keys = await client.keys('*');
        const values = await Promise.all(keys.map((key) => client.get(key)));
        return keys.map((key, i) => `${key} ${values[i] ?? ''}`).join('\n');
      } finally {
        await client.close();
      }
    },
    freeze() {
      child?.kill('SIGSTOP');
    },
    thaw() {
      child?.kill('SIGCONT');
    },
    async command(args) {
      const client = createClient({ url });
      await client.connect();
      try {
        return await client.sendCommand(args);
      } finally {
        await client.close();
      }
    },
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function ping(url: string): Promise<string | undefined> {
  const client = createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 200 } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.ping();
  } catch {
    return undefined;
  } finally {
    if (client.isOpen) await client.close();
  }
}

/** Polls a condition (bounded: 100 tries, 50 ms apart) instead of sleeping a guessed time. */
export async function waitUntil(condition: () => Promise<boolean>, tries = 100): Promise<void> {
  for (let i = 0; i < tries; i += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('condition not met in time');
}
