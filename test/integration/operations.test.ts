import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../src/logger';
import { composeApp } from '../../src/compose';
import request from 'supertest';
import { decide, pathOf, sessionCookieOf, signIn, startLogin } from '../helpers/sign-in';
import { startStack } from '../helpers/stack';
import { makeTestConfig } from '../helpers/test-config';
import { waitFor } from '../helpers/wait-for';
import { createSessionBackend } from '../../src/session/session-backend';

describe('health endpoints', () => {
  it('answer /healthz and /readyz without creating a session', async () => {
    const stack = await startStack();
    try {
      const health = await stack.agent.get('/healthz').expect(200);
      const ready = await stack.agent.get('/readyz').expect(200);

      expect(health.body).toEqual({ status: 'ok' });
      expect(ready.body).toEqual({ status: 'ready' });
      expect(health.headers['set-cookie']).toBeUndefined();
      expect(ready.headers['set-cookie']).toBeUndefined();
    } finally {
      await stack.close();
    }
  });

  it('/readyz says not ready once shutdown has begun, while /healthz stays up', async () => {
    const composed = composeApp(makeTestConfig(), createLogger('silent'));
    const server = composed.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      composed.beginShutdown();

      const ready = await request(url).get('/readyz').expect(503);
      await request(url).get('/healthz').expect(200);

      expect(ready.body).toEqual({ status: 'not ready', reason: 'shutting down' });
    } finally {
      server.close();
      await composed.sessionBackend.close();
    }
  });
});

describe('the default session store', () => {
  it('keeps at most SESSION_MAX_SESSIONS sessions, dropping the least recently used', async () => {
    const stack = await startStack({ env: { SESSION_MAX_SESSIONS: '2' } });
    try {
      const [first, second, third] = [stack.newAgent(), stack.newAgent(), stack.newAgent()];
      await signIn(stack, { agent: first });
      await signIn(stack, { agent: second });
      await first.get('/').expect(200, /Signed in as/); // first is active again: second is least recent

      await signIn(stack, { agent: third });

      expect((await second.get('/')).text).toContain('Sign in with RingCentral');
      expect((await first.get('/')).text).toContain('Signed in as');
      expect((await third.get('/')).text).toContain('Signed in as');
    } finally {
      await stack.close();
    }
  });

  it('holds the tokens encrypted: no issued token appears in what the store keeps', async () => {
    const stack = await startStack();
    try {
      await signIn(stack);
      const all = stack.sessionBackend.store.all?.bind(stack.sessionBackend.store);
      const kept = all === undefined ? undefined : await promisify(all)();

      const dump = JSON.stringify(kept);
      expect(dump).toContain('sealedTokens');
      for (const token of stack.emulator.store.issuedTokens()) expect(dump).not.toContain(token);
    } finally {
      await stack.close();
    }
  });
});

describe('the access log', () => {
  it('writes one line per request with the X-Request-Id, method, path without query, status and time', async () => {
    const stack = await startStack();
    try {
      const answer = await stack.agent
        .get('/oauth/callback?code=LOGGED_CODE_SENTINEL&state=unknown')
        .expect(400);
      const reqId = answer.headers['x-request-id'] as string;
      const lines = stack
        .logs()
        .split('\n')
        .filter((line) => line.includes(reqId))
        .map((line) => JSON.parse(line) as Record<string, unknown>);

      expect(reqId).toMatch(/^[0-9a-f-]{36}$/);
      expect(lines.filter((line) => line['msg'] === 'request completed')).toEqual([
        expect.objectContaining({
          reqId,
          method: 'GET',
          path: '/oauth/callback',
          status: 400,
          responseTimeMs: expect.any(Number) as number,
        }),
      ]);
      // The error line about the same request carries the same id.
      expect(lines.some((line) => line['referenceId'] === reqId && line['reqId'] === reqId)).toBe(true);
      expect(stack.logs()).not.toContain('LOGGED_CODE_SENTINEL');
    } finally {
      await stack.close();
    }
  });

  it('warns "request aborted" when the client goes away before the answer', async () => {
    const stack = await startStack();
    try {
      // The code exchange hangs (the app's own deadline is 2 s), so the browser gives up first.
      stack.emulator.faults.failNext('token', { kind: 'hang' });
      const callbackUrl = await decide(await startLogin(stack.agent), 'approve');
      await expect(stack.agent.get(pathOf(callbackUrl)).timeout(300)).rejects.toThrow(/timeout/i);

      const aborted = async () => {
        for (let tries = 0; tries < 100; tries += 1) {
          const line = stack
            .logs()
            .split('\n')
            .find((l) => l.includes('"msg":"request aborted"'));
          if (line !== undefined) return JSON.parse(line) as Record<string, unknown>;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        return undefined;
      };
      expect(await aborted()).toMatchObject({ level: 40, method: 'GET', path: '/oauth/callback' });
    } finally {
      await stack.close();
    }
  });
});

describe('token key rotation (TOKEN_ENCRYPTION_KEY)', () => {
  const oldKey = 'a'.repeat(64);
  const newKey = 'b'.repeat(64);

  it('keeps sessions sealed with a key still listed, and signs out those whose key was dropped', async () => {
    const first = await startStack({ env: { TOKEN_ENCRYPTION_KEY: oldKey } });
    const { response } = await signIn(first);
    const cookie = sessionCookieOf(response);
    const shared = {
      sessionBackend: first.sessionBackend,
      sharedEmulator: first.emulator,
      clock: first.clock,
    };
    const rotated = await startStack({ ...shared, env: { TOKEN_ENCRYPTION_KEY: `${newKey},${oldKey}` } });
    const dropped = await startStack({ ...shared, env: { TOKEN_ENCRYPTION_KEY: newKey } });
    try {
      const dashboardOn = (url: string) => request(url).get('/').set('Cookie', cookie).accept('html');

      expect((await dashboardOn(rotated.appUrl).expect(200)).text).toContain('Signed in as Ada Lovelace');
      const signedOut = await dashboardOn(dropped.appUrl).expect(200);
      expect(signedOut.text).toContain('Sign in with RingCentral');
      expect(signedOut.text).not.toContain('Signed in as');
    } finally {
      await dropped.close();
      await rotated.close();
      await first.close();
    }
  });
});

describe('behind a TLS-terminating proxy (TRUST_PROXY)', () => {
  it('sets Secure cookies and the https redirect URI when the trusted proxy says https', async () => {
    const stack = await startStack({
      env: { BASE_URL: 'https://signin.example.test', TRUST_PROXY: 'loopback' },
    });
    try {
      // As the proxy passes it on: the public host name, and the scheme the browser used.
      const response = await stack.agent
        .get('/login')
        .set('Host', 'signin.example.test')
        .set('X-Forwarded-Proto', 'https')
        .expect(302);

      const cookie = String(response.headers['set-cookie']);
      expect(cookie).toMatch(/^__Secure-rcapp\.login\./);
      expect(cookie).toContain('Secure');
      expect(cookie).toContain('Path=/oauth/callback');
      expect(cookie).not.toContain('Domain=');
      const location = new URL(response.headers['location'] as string);
      expect(location.searchParams.get('redirect_uri')).toBe('https://signin.example.test/oauth/callback');
    } finally {
      await stack.close();
    }
  });
});

describe('a store that fails after the page was sent', () => {
  it("sends the page, and logs the failed end-of-request write as one line instead of Express's stack", async () => {
    const real = createSessionBackend(makeTestConfig().session, createLogger('silent', process.stdout));
    // What express-session writes after the page (a save, or the idle-time renewal) fails once signed in, as
    // a Redis hiccup would.
    let failing = false;
    type Write = (sid: string, data: unknown, done: (error?: unknown) => void) => void;
    const failWrite =
      (write: string): Write =>
      (sid, data, done) =>
        failing
          ? done(new Error('connection lost'))
          : (Reflect.get(real.store, write) as Write).call(real.store, sid, data, done);
    const store = new Proxy(real.store, {
      get(target, name) {
        if (name === 'touch' || name === 'set') return failWrite(name);
        const value: unknown = Reflect.get(target, name, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const stack = await startStack({ sessionBackend: { ...real, store } });
    try {
      await signIn(stack);
      failing = true;

      const page = await stack.agent.get('/').expect(200);

      expect(page.text).toContain('Signed in as Ada Lovelace');
      // Logged just after the page went out.
      await waitFor(() => stack.logs().includes('error after the response was sent'));
      const line = stack
        .logs()
        .split('\n')
        .find((l) => l.includes('error after the response was sent'));
      expect(JSON.parse(line ?? '{}')).toMatchObject({
        level: 40,
        message: 'The session store did not answer.',
        status: 200,
      });
    } finally {
      await stack.close();
    }
  });
});
