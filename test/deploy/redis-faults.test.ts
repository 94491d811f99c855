// Redis that freezes (SIGSTOP: the sockets stay open and nothing errors, as in a network partition or an
// overloaded server) must cost a fast 503, never a hung request; the app is back by itself after SIGCONT,
// and a refresh whose lock was caught in the freeze does not wait out the lock's TTL. Also: the sign-in rate
// limit counted once across instances when sessions are in Redis.
import request from 'supertest';
import { startSignedInReplicas, type Replicas } from './helpers/replicas';
import { tokenRequests } from '../helpers/sign-in';
import type { Stack } from '../helpers/stack';
import { startRedis, waitUntil, type RedisServer } from './helpers/redis-server';
import { createLogger } from '../../src/logger';
import { createSessionBackend, type SessionBackend } from '../../src/session/session-backend';
import { makeTestConfig } from '../helpers/test-config';

const TIMEOUT_MS = 500;
/** What the issue allows: the Redis deadline plus a second. */
const BOUND_MS = TIMEOUT_MS + 1_000;

describe('a frozen Redis', () => {
  let redis: RedisServer;
  let first: Stack;
  let second: Stack;
  let cookie: string;
  let replicas: Replicas | undefined;

  beforeAll(async () => {
    redis = await startRedis();
    const env = {
      SESSION_STORE: 'redis',
      REDIS_URL: redis.url,
      REDIS_TIMEOUT_MS: String(TIMEOUT_MS),
      SIGNIN_RATE_LIMIT_PER_MINUTE: '4',
    };
    replicas = await startSignedInReplicas(env);
    ({ first, second, cookie } = replicas);
  });
  afterAll(async () => {
    redis?.thaw();
    await replicas?.close();
    await redis?.destroy();
  });

  const page = (stack: Stack) => request(stack.appUrl).get('/').set('Cookie', cookie).accept('html');
  const timed = async <T>(work: () => Promise<T>) => {
    const started = Date.now();
    const result = await work();
    return { result, ms: Date.now() - started };
  };

  it('answers a signed-in page and /readyz with 503 within the deadline, and is back after SIGCONT', async () => {
    redis.freeze();
    try {
      const signedIn = await timed(() => page(first).timeout(10_000));
      const ready = await timed(() => request(first.appUrl).get('/readyz').timeout(10_000));
      const again = await timed(() => page(first).timeout(10_000));

      expect(signedIn.result.status).toBe(503);
      expect(signedIn.result.text).toContain('Temporarily unavailable');
      expect(signedIn.ms).toBeLessThan(BOUND_MS);
      expect(ready.result.status).toBe(503);
      expect(ready.ms).toBeLessThan(BOUND_MS);
      expect(again.result.status).toBe(503);
      expect(again.ms).toBeLessThan(BOUND_MS);
      process.stdout.write(
        `frozen Redis: page 503 in ${signedIn.ms} ms, /readyz ${ready.ms} ms, next ${again.ms} ms\n`,
      );
    } finally {
      redis.thaw();
    }
    const back = await timed(() =>
      waitUntil(async () => (await page(first)).text.includes('Signed in as Ada Lovelace')),
    );
    process.stdout.write(`signed in again ${back.ms} ms after SIGCONT\n`);
    expect(back.ms).toBeLessThan(5_000);
  });

  it('does not let a refresh lock caught in the freeze hold up the next refresh', async () => {
    first.clock.advance(3_600_000 - 30_000); // the access token is due for a refresh
    redis.freeze();
    try {
      // The refresh takes the lock: the SET waits in the frozen Redis and misses its deadline.
      expect((await page(second).timeout(10_000)).status).toBe(503);
    } finally {
      redis.thaw();
    }
    const refreshesBefore = tokenRequests(first).length;

    const back = await timed(() =>
      waitUntil(async () => (await page(second)).text.includes('refreshed automatically')),
    );

    process.stdout.write(`refresh completed ${back.ms} ms after SIGCONT\n`);
    expect(back.ms).toBeLessThan(5_000);
    expect(tokenRequests(first).length).toBe(refreshesBefore + 1);
  });

  it('counts sign-ins once across instances', async () => {
    const login = (stack: Stack) => request(stack.appUrl).get('/login');
    // This file's sign-in spent two of the four (/login and the callback, on the first instance).
    await login(first).expect(302);
    await login(second).expect(302);

    const fifth = await login(first).accept('html');

    // Counted per instance, the first would have seen four requests and let this one through.
    expect(fifth.status).toBe(429);
    expect(fifth.text).toContain('Too many sign-in attempts');
  });
});

describe('the refresh lock across a Redis freeze', () => {
  let redis: RedisServer;
  let backend: SessionBackend;
  /** As the refresher takes it: long enough for a refresh, so a leftover lock would block for 30 s. */
  const LOCK_TTL_MS = 30_000;

  beforeAll(async () => {
    redis = await startRedis();
    const config = makeTestConfig({
      SESSION_STORE: 'redis',
      REDIS_URL: redis.url,
      REDIS_TIMEOUT_MS: String(TIMEOUT_MS),
    });
    backend = createSessionBackend(config.session, createLogger('silent', process.stdout));
    await waitUntil(() => backend.isReady());
  });
  afterAll(async () => {
    redis?.thaw();
    await backend?.close();
    await redis?.destroy();
  });

  /** How long after SIGCONT the lock can be taken again. */
  async function freeAgainAfterThaw(key: string): Promise<number> {
    redis.thaw();
    const started = Date.now();
    await waitUntil(async () => {
      const release = await backend.lock.acquire(key, LOCK_TTL_MS).catch(() => undefined);
      await release?.();
      return release !== undefined;
    });
    return Date.now() - started;
  }

  it('is free again within seconds when its acquire missed the deadline and ran late', async () => {
    redis.freeze();
    await expect(backend.lock.acquire('late-acquire', LOCK_TTL_MS)).rejects.toThrow(/did not answer/);

    const ms = await freeAgainAfterThaw('late-acquire');

    process.stdout.write(`lock free again ${ms} ms after SIGCONT (late acquire)\n`);
    expect(ms).toBeLessThan(3_000);
  });

  it('is free again within seconds when its release could not reach Redis', async () => {
    const release = await backend.lock.acquire('lost-release', LOCK_TTL_MS);
    redis.freeze();
    await release?.(); // settles within the deadline, without an error: the refresh itself was done

    const ms = await freeAgainAfterThaw('lost-release');

    process.stdout.write(`lock free again ${ms} ms after SIGCONT (lost release)\n`);
    expect(ms).toBeLessThan(3_000);
  });
});

describe('an app started before Redis', () => {
  it('says not ready, then connects by itself once Redis is up', async () => {
    const redis = await startRedis();
    await redis.stop();
    const config = makeTestConfig({
      SESSION_STORE: 'redis',
      REDIS_URL: redis.url,
      REDIS_TIMEOUT_MS: String(TIMEOUT_MS),
    });
    const backend = createSessionBackend(config.session, createLogger('silent', process.stdout));
    try {
      expect(await backend.isReady()).toBe(false);

      await redis.start();
      const started = Date.now();
      await waitUntil(() => backend.isReady());

      process.stdout.write(`ready ${Date.now() - started} ms after Redis started\n`);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await backend.close();
      await redis.destroy();
    }
  });
});
