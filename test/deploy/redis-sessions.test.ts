// Sessions in a real Redis shared by two app instances: shared sign-in, no usable token in a dump, fast
// 503s while Redis is down, and recovery (with the sessions kept) when it is back.
import request from 'supertest';
import { startSignedInReplicas, type Replicas } from './helpers/replicas';
import type { Stack } from '../helpers/stack';
import { startRedis, waitUntil, type RedisServer } from './helpers/redis-server';

describe('sessions in Redis, shared by two app instances', () => {
  let redis: RedisServer;
  let first: Stack;
  let second: Stack;
  let cookie: string;
  let replicas: Replicas | undefined;

  beforeAll(async () => {
    redis = await startRedis();
    const env = { SESSION_STORE: 'redis', REDIS_URL: redis.url, REDIS_TIMEOUT_MS: '500' };
    replicas = await startSignedInReplicas(env);
    ({ first, second, cookie } = replicas);
  });
  afterAll(async () => {
    await replicas?.close();
    await redis?.destroy();
  });

  const onSecond = (path: string) => request(second.appUrl).get(path).set('Cookie', cookie).accept('html');

  it('lets the other instance serve the dashboard of a sign-in done on the first', async () => {
    const page = await onSecond('/').expect(200);

    expect(page.text).toContain('Signed in as Ada Lovelace');
  });

  it('A11: keeps nothing in Redis for anonymous sign-in starts', async () => {
    const before = await redis.command(['KEYS', '*']);

    for (let i = 0; i < 10; i += 1) await request(second.appUrl).get('/login').expect(302);

    expect(await redis.command(['KEYS', '*'])).toEqual(before);
  });

  it('keeps no usable token in Redis: a dump holds only sealed tokens', async () => {
    const dump = await redis.dump();

    expect(dump).toContain('rcapp:sess:');
    expect(dump).toContain('sealedTokens');
    for (const token of first.emulator.store.issuedTokens()) expect(dump).not.toContain(token);
  });

  it('keeps a session for the idle timeout, renewed by activity at most once a minute', async () => {
    const [key] = (await redis.command(['KEYS', 'rcapp:sess:*'])) as string[];
    const ttl = async () => Number(await redis.command(['TTL', key ?? '']));
    const onFirst = () =>
      request(first.appUrl)
        .get('/')
        .set('Cookie', cookie)
        .expect(200, /Signed in as/);
    // The default idle timeout: 30 minutes, not the 8-hour lifetime.
    expect(await ttl()).toBeGreaterThan(1_790);
    expect(await ttl()).toBeLessThanOrEqual(1_800);

    // As if 28 idle minutes had passed; a request renews the TTL.
    await redis.command(['EXPIRE', key ?? '', '120']);
    await onFirst();
    expect(await ttl()).toBeGreaterThan(1_790);

    // Within a minute of that renewal, requests do not renew again (no EXPIRE round trip per request) ...
    await redis.command(['EXPIRE', key ?? '', '120']);
    await onFirst();
    expect(await ttl()).toBeLessThanOrEqual(120);

    // ... and after it they do.
    first.clock.advance(61_000);
    await onFirst();
    expect(await ttl()).toBeGreaterThan(1_790);
  });

  it('answers 503 (not a hang) and /readyz 503 while Redis is down, then recovers with the session kept', async () => {
    await redis.stop();

    const down = await onSecond('/').timeout(5_000);
    const notReady = await request(second.appUrl).get('/readyz').timeout(5_000);
    const login = await request(second.appUrl).get('/login').accept('html').timeout(5_000);

    expect(down.status).toBe(503);
    expect(down.text).toContain('Temporarily unavailable');
    expect(notReady.status).toBe(503);
    expect(login.status).toBe(503);
    expect(login.headers['location']).toBeUndefined();

    await redis.start();
    await waitUntil(async () => (await request(second.appUrl).get('/readyz')).status === 200);

    const back = await onSecond('/').expect(200);
    expect(back.text).toContain('Signed in as Ada Lovelace');
  });
});
