// The documented topology for real: nginx terminating TLS (deploy/nginx/rcapp.conf.template) in front of
// two `node dist/main.js` processes sharing Redis, against the emulator, all on loopback ports.
import request from 'supertest';
import { RELAXED_RATE_LIMITS } from '../../src/emulator/emulator-rate-limit';
import { startEmulator, type RunningEmulator } from '../../src/emulator/start-emulator';
import { freePort } from '../helpers/free-port';
import { decide, pathOf, sessionSetCookieOf } from '../helpers/sign-in';
import { startAppProcess, startNginx, type AppProcess, type Nginx } from './helpers/processes';
import { startRedis, waitUntil, type RedisServer } from './helpers/redis-server';

const CLIENT = { clientId: 'deploy-app', clientSecret: 'deploy-secret-1234' };

describe('behind nginx with TLS, two replicas sharing Redis', () => {
  let emulator: RunningEmulator;
  let redis: RedisServer;
  let apps: AppProcess[];
  let nginx: Nginx;
  let baseUrl: string;

  beforeAll(async () => {
    const nginxPort = await freePort();
    baseUrl = `https://localhost:${nginxPort}`;
    // Several sign-ins and logouts within a minute: more than RingCentral's Auth group allows one app.
    emulator = await startEmulator({ clients: [], rateLimits: RELAXED_RATE_LIMITS });
    emulator.store.setClient({
      ...CLIENT,
      redirectUris: [`${baseUrl}/oauth/callback`],
      grants: ['authorization_code', 'refresh_token'],
    });
    redis = await startRedis();
    const env = {
      NODE_ENV: 'production',
      BASE_URL: baseUrl,
      TRUST_PROXY: 'loopback',
      SESSION_STORE: 'redis',
      REDIS_URL: redis.url,
      REDIS_TIMEOUT_MS: '500',
      SESSION_SECRET: 'deploy-test-session-secret-0123456789abcdef',
      RINGCENTRAL_SERVER_URL: emulator.baseUrl,
      RINGCENTRAL_CLIENT_ID: CLIENT.clientId,
      RINGCENTRAL_CLIENT_SECRET: CLIENT.clientSecret,
    };
    apps = await Promise.all([freePort(), freePort()].map(async (port) => startAppProcess(await port, env)));
    nginx = await startNginx(nginxPort, [`127.0.0.1:${apps[0]?.port}`, `127.0.0.1:${apps[1]?.port}`]);
  });
  afterAll(async () => {
    await nginx?.stop();
    await Promise.all((apps ?? []).map((app) => app.stop()));
    await redis?.destroy();
    await emulator?.close();
  });

  const browser = () => request.agent(baseUrl).ca(nginx.certificate);
  const requestsServedBy = (app: AppProcess) => (app.logs().match(/"msg":"request completed"/g) ?? []).length;

  async function signInThroughNginx(agent: ReturnType<typeof browser>) {
    const login = await agent
      .get('/login')
      .set('X-Forwarded-Host', 'evil.example')
      .set('X-Forwarded-Proto', 'http')
      .expect(302);
    const authorizeUrl = new URL(login.headers['location'] as string);
    const callback = await agent.get(pathOf(await decide(authorizeUrl, 'approve'))).expect(303);
    return { login, authorizeUrl, callback };
  }

  it('signs in over https with a Secure __Host- cookie and the https redirect URI, despite forged X-Forwarded-*', async () => {
    const { login, authorizeUrl, callback } = await signInThroughNginx(browser());

    expect(String(login.headers['set-cookie'])).toMatch(/^__Secure-rcapp\.login\.[^;]+;.*Secure/);
    const cookie = sessionSetCookieOf(callback);
    expect(cookie).toMatch(/^__Host-rcapp\.sid=/);
    expect(cookie).toContain('Secure');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(authorizeUrl.searchParams.get('redirect_uri')).toBe(`${baseUrl}/oauth/callback`);
    expect(callback.headers['location']).toBe('/');
  });

  it('serves the dashboard from either replica, round-robin', async () => {
    const agent = browser();
    await signInThroughNginx(agent);
    const before = apps.map(requestsServedBy);

    for (let i = 0; i < 6; i += 1) await agent.get('/').expect(200, /Signed in as Ada Lovelace/);

    const served = apps.map((app, i) => requestsServedBy(app) - (before[i] ?? 0));
    expect(served[0]).toBeGreaterThan(0);
    expect(served[1]).toBeGreaterThan(0);
  });

  it('logs out on both replicas at once', async () => {
    const agent = browser();
    await signInThroughNginx(agent);
    const page = await agent.get('/').expect(200);
    const cookie = String(page.request.cookies);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';

    await agent.post('/logout').type('form').send({ _csrf: csrf }).expect(303);

    for (const app of apps) {
      const direct = await request(app.url)
        .get('/')
        .set('X-Forwarded-Proto', 'https')
        .set('Cookie', cookie)
        .expect(200);
      expect(direct.text).toContain('Sign in with RingCentral');
    }
  });

  it('never writes the code or state into the access logs', async () => {
    const { callback } = await signInThroughNginx(browser());

    const logs = nginx.accessLog() + apps.map((app) => app.logs()).join('');
    expect(callback.status).toBe(303);
    expect(logs).toContain('/oauth/callback');
    expect(logs).not.toMatch(/oauth\/callback\?/);
    for (const token of emulator.store.issuedTokens()) expect(logs).not.toContain(token);
  });

  it('answers 503 fast while Redis is down and works again when it is back, without restarting', async () => {
    const agent = browser();
    await signInThroughNginx(agent);
    await redis.stop();

    const down = await agent.get('/').timeout(5_000);
    const ready = await Promise.all(apps.map((app) => request(app.url).get('/readyz').timeout(5_000)));

    expect(down.status).toBe(503);
    expect(ready.map((r) => r.status)).toEqual([503, 503]);

    await redis.start();
    await waitUntil(async () =>
      (await Promise.all(apps.map((app) => fetch(`${app.url}/readyz`)))).every((r) => r.ok),
    );
    await agent.get('/').expect(200, /Signed in as Ada Lovelace/);
  });

  it('lets a slow request finish on SIGTERM, then exits 0', async () => {
    const [app] = apps as [AppProcess];
    // Straight to one replica, as nginx would send it (trusted loopback proxy saying https). The cookie is
    // Secure, so it is passed by hand over this plain-http hop.
    const login = await request(app.url).get('/login').set('X-Forwarded-Proto', 'https').expect(302);
    const cookie = (login.headers['set-cookie'] as unknown as string[])[0]?.split(';')[0] ?? '';
    const callbackUrl = await decide(new URL(login.headers['location'] as string), 'approve');
    emulator.faults.failNext('token', { kind: 'delay', ms: 1_500 });

    const inFlight = request(app.url)
      .get(pathOf(callbackUrl))
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', cookie)
      .then((r) => r.status);
    const code = callbackUrl.searchParams.get('code') ?? '?';
    await waitUntil(() =>
      Promise.resolve(
        emulator.requests.some((r) => r.path === '/restapi/oauth/token' && r.body.includes(code)),
      ),
    );
    const exit = app.stop('SIGTERM');

    expect(await inFlight).toBe(303);
    expect(await exit).toBe(0);
    expect(app.logs()).toContain('"msg":"stopped"');
  });
});
