// One refresh at a time across two app instances sharing a real Redis: each instance has its own
// in-process single-flight, so only the Redis lock and the re-read of the session keep it to one.
import request from 'supertest';
import { startSignedInReplicas, type Replicas } from './helpers/replicas';
import { decide, pathOf, sessionCookieOf, signIn, tokenRequests } from '../helpers/sign-in';
import { waitFor } from '../helpers/wait-for';
import type { Stack } from '../helpers/stack';
import { startRedis, type RedisServer } from './helpers/redis-server';

describe('refresh across two instances sharing Redis', () => {
  let redis: RedisServer;
  let first: Stack;
  let second: Stack;
  let cookie: string;
  let replicas: Replicas | undefined;

  beforeAll(async () => {
    redis = await startRedis();
    const env = { SESSION_STORE: 'redis', REDIS_URL: redis.url };
    replicas = await startSignedInReplicas(env);
    ({ first, second, cookie } = replicas);
  });
  afterAll(async () => {
    await replicas?.close();
    await redis?.destroy();
  });

  const refreshes = () => tokenRequests(first).filter((r) => r.body.includes('grant_type=refresh_token'));
  const page = (stack: Stack) => request(stack.appUrl).get('/').set('Cookie', cookie);

  it('answers 50 parallel requests, split over both instances at the moment of expiry, with one refresh', async () => {
    first.clock.advance(3_600_000 - 30_000);
    // A slow refresh, so both instances are sure to be refreshing at the same time.
    first.emulator.faults.failNext('token', { kind: 'delay', ms: 300 });

    const pages = await Promise.all(Array.from({ length: 50 }, (_, i) => page(i % 2 === 0 ? first : second)));

    expect(pages.map((p) => p.status)).toEqual(Array(50).fill(200));
    for (const p of pages) expect(p.text).toContain('Signed in as Ada Lovelace');
    expect(refreshes()).toHaveLength(1);
  });

  it('leaves Redis holding the newest tokens: a later expiry refreshes again with them', async () => {
    first.clock.advance(3_600_000 - 30_000 + 11_000);

    await page(second).expect(200, /refreshed automatically/);
    await page(first).expect(200, /Signed in as Ada Lovelace/);

    const sent = refreshes().map((r) => new URLSearchParams(r.body).get('refresh_token'));
    expect(sent).toHaveLength(2);
    expect(new Set(sent).size).toBe(2);
  });

  it("keeps the other instance from calling RingCentral during a 429's Retry-After", async () => {
    first.clock.advance(3_600_000 - 30_000);
    first.emulator.faults.failNext('token', { kind: 'rate-limit', retryAfterSeconds: 30 });

    await page(first).accept('html').expect(429);
    const onTheOther = await page(second).accept('html');
    const callsDuringTheWait = refreshes().length;
    first.clock.advance(31_000);
    await page(second).expect(200, /refreshed automatically/);

    expect(onTheOther.status).toBe(429);
    expect(Number(onTheOther.headers['retry-after'])).toBeLessThanOrEqual(30);
    expect(callsDuringTheWait).toBe(3);
    expect(refreshes()).toHaveLength(4);
  });

  it("keeps the other instance from calling an API during that API's Retry-After, and not the other API", async () => {
    const callLog = () =>
      first.emulator.requests.filter((r) => r.path === '/restapi/v1.0/account/~/extension/~/call-log');
    const load = (stack: Stack, path: string) =>
      request(stack.appUrl).get(path).set('Cookie', cookie).accept('html');
    first.emulator.faults.failNext('call-log', { kind: 'rate-limit', retryAfterSeconds: 40 });

    await load(first, '/api/call-log').expect(429);
    const onTheOther = await load(second, '/api/call-log');
    const onTheFirstAgain = await load(first, '/api/call-log');
    const callsDuringTheWait = callLog().length;
    await load(second, '/api/extension').expect(200, /Ada Lovelace/);
    first.clock.advance(41_000);
    await load(second, '/api/call-log').expect(200, /57 calls/);

    expect([onTheOther.status, onTheFirstAgain.status]).toEqual([429, 429]);
    expect(Number(onTheOther.headers['retry-after'])).toBeLessThanOrEqual(40);
    expect(Number(onTheOther.headers['retry-after'])).toBeGreaterThan(30);
    expect(callsDuringTheWait).toBe(1);
    expect(callLog()).toHaveLength(2);
  });

  it('E7: logout on one instance wins over a refresh in flight on the other', async () => {
    const agent = request.agent(first.appUrl);
    const { response } = await signIn(first, { agent });
    const own = sessionCookieOf(response);
    const dashboard = await request(first.appUrl).get('/').set('Cookie', own).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(dashboard.text)?.[1] ?? '';
    const post = (stack: Stack, path: string) =>
      request(stack.appUrl)
        .post(path)
        .set('Cookie', own)
        .type('form')
        .send({ _csrf: csrf })
        .then((r) => r);
    const gate = first.emulator.faults.holdNextAnswer('token');

    const refresh = post(first, '/refresh');
    await gate.answered; // RingCentral rotated the tokens; the answer has not reached the first instance
    const logout = post(second, '/logout');
    await Promise.race([logout, waitFor(() => second.logs().includes('sign-out waits'))]);
    gate.release();
    await Promise.all([refresh, logout]);

    for (const stack of [first, second]) {
      const replay = await request(stack.appUrl).get('/').set('Cookie', own).expect(200);
      expect(replay.text).toContain('Sign in with RingCentral');
    }
    const newest = tokenRequests(first).at(-1);
    expect(newest?.body).toContain('grant_type=refresh_token');
    for (const token of first.emulator.store.issuedTokens().slice(-2))
      expect(first.emulator.store.isSessionActive(token)).toBe(false);
  });

  it('B14: a callback sent to both instances at once is redeemed once', async () => {
    for (let pair = 0; pair < 5; pair += 1) {
      const start = await request(first.appUrl).get('/login').expect(302);
      const login = String((start.headers['set-cookie'] as unknown as string[])[0]).split(';')[0];
      const callbackUrl = await decide(new URL(start.headers['location'] as string), 'approve');
      const code = callbackUrl.searchParams.get('code') ?? '';

      const answers = await Promise.all(
        [first, second].map((stack) =>
          request(stack.appUrl)
            .get(pathOf(callbackUrl))
            .set('Cookie', login ?? ''),
        ),
      );

      expect(tokenRequests(first).filter((r) => r.body.includes(code))).toHaveLength(1);
      expect(answers.map((a) => a.status).sort()).toEqual([303, 400]);
    }
  });
});
