// What the benchmark needs around the servers it measures: free ports, a throw-away Redis, and waiting for
// a server to answer. Its own code: the benchmark uses nothing of the tests.
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { createClient } from 'redis';

/** A loopback port that was free a moment ago, for a server that must know its URL before it starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `ready` every 50 ms, at most `tries` times, instead of sleeping a guessed time. */
export async function waitUntil(ready: () => Promise<boolean>, tries = 100): Promise<void> {
  for (let attempt = 0; attempt < tries; attempt += 1) {
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('a server did not start in time');
}

/** A redis-server on loopback that keeps nothing on disk; destroy() stops it. */
export async function startRedis(): Promise<{ url: string; destroy(): Promise<void> }> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const redis = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const exited = new Promise((resolve) => redis.once('exit', resolve));
  await waitUntil(async () => {
    const client = createClient({ url, socket: { reconnectStrategy: false } }).on('error', () => undefined);
    const pong = await client
      .connect()
      .then(() => client.ping())
      .catch(() => undefined);
    if (client.isOpen) client.destroy();
    return pong === 'PONG';
  });
  return {
    url,
    async destroy() {
      if (redis.exitCode === null && redis.signalCode === null) redis.kill();
      await exited;
    },
  };
}
