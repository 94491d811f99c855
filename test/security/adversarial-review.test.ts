// The findings of the adversarial review (issue 19), each reproduced as the reviewer did it, from outside:
// HTTP requests to the app, what RingCentral (the emulator) received, what the operator is told. Each test
// failed on the code before its fix.
import { promisify } from 'node:util';
import { connect } from 'node:net';
import { csrfTokenOf, decide, pathOf, signIn, startLogin, tokenRequests } from '../helpers/sign-in';
import { startStack, type Stack } from '../helpers/stack';
import { loadConfig } from '../../src/config';
import { createSessionBackend, type SessionBackend } from '../../src/session/session-backend';
import { createLogger } from '../../src/logger';
import { listen } from '../../src/server';
import { composeApp } from '../../src/compose';
import { makeTestConfig, strongSessionSecret } from '../helpers/test-config';
import { waitFor } from '../helpers/wait-for';

describe('security: findings of the adversarial review', () => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  const sessionCount = async (backend: SessionBackend) =>
    (await promisify(backend.store.length!.bind(backend.store))()) as number;

  it('A11: anonymous sign-in starts store nothing, so they cannot crowd out a signed-in user', async () => {
    stack = await startStack({ env: { SESSION_MAX_SESSIONS: '2', SIGNIN_RATE_LIMIT_PER_MINUTE: '0' } });
    await signIn(stack);

    const starts = await Promise.all(Array.from({ length: 30 }, () => stack!.newAgent().get('/login')));

    for (const start of starts) {
      expect(start.status).toBe(302);
      expect(String(start.headers['set-cookie'])).not.toContain('rcapp.sid=');
    }
    expect(await sessionCount(stack.sessionBackend)).toBe(1);
    expect((await stack.agent.get('/')).text).toContain('Log out');
  });

  it('A11: two tabs starting a sign-in at once both finish it', async () => {
    stack = await startStack();
    const [first, second] = await Promise.all([
      startLogin(stack.agent, '?returnTo=/first'),
      startLogin(stack.agent, '?returnTo=/second'),
    ]);

    const firstDone = await stack.agent.get(pathOf(await decide(first, 'approve')));
    const secondDone = await stack.agent.get(pathOf(await decide(second, 'approve')));

    expect([firstDone.status, firstDone.headers['location']]).toEqual([303, '/first']);
    expect([secondDone.status, secondDone.headers['location']]).toEqual([303, '/second']);
  });

  it('A11: the pending sign-in lives only for the callback path, HttpOnly and SameSite=Lax', async () => {
    stack = await startStack();
    const start = await stack.newAgent().get('/login').expect(302);

    const cookie = String(start.headers['set-cookie']);
    expect(cookie).toMatch(/^rcapp\.login\.[A-Za-z0-9_-]+=/);
    expect(cookie).toMatch(/Path=\/oauth\/callback;/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Max-Age=\d+/);
  });

  it('B14: a callback that arrives twice at once is redeemed once', async () => {
    const real = createSessionBackend(makeTestConfig().session, createLogger('silent', process.stdout));
    const held = holdWrites(real);
    stack = await startStack({ sessionBackend: held.backend });
    const callbackUrl = await decide(await startLogin(stack.agent), 'approve');
    held.hold();

    const answers: number[] = [];
    const both = [0, 1].map(() =>
      stack!.agent.get(pathOf(callbackUrl)).then((response) => void answers.push(response.status)),
    );
    // Both copies are in the app: each has either written to the store or answered.
    await waitFor(() => held.waiting() + answers.length >= 2);
    held.release();
    await Promise.all(both);

    expect(tokenRequests(stack).filter((r) => r.body.includes('authorization_code'))).toHaveLength(1);
    expect(answers).toContain(303);
  });

  it.each([
    '/login',
    '/login?x=1',
    '/LOGIN',
    '/login/',
    '/./login',
    '/oauth/callback',
    '/refresh',
    '/logout',
  ])('A12: refuses returnTo=%j, which would start the sign-in flow again after it', async (returnTo) => {
    stack = await startStack();

    const response = await stack.newAgent().get(`/login?returnTo=${encodeURIComponent(returnTo)}`);

    expect(response.status).toBe(400);
    expect(response.headers['location']).toBeUndefined();
  });

  it('A13: a sign-in start that is not a page navigation (an image, a script) is refused before it counts', async () => {
    stack = await startStack({ env: { SIGNIN_RATE_LIMIT_PER_MINUTE: '2' } });

    for (const dest of ['image', 'script', 'iframe', 'empty']) {
      const refused = await stack.newAgent().get('/login').set('Sec-Fetch-Dest', dest).accept('html');
      expect(refused.status).toBe(403);
      expect(refused.headers['set-cookie']).toBeUndefined();
      expect(refused.text).toContain('LOGIN_NOT_A_NAVIGATION');
    }

    await stack.newAgent().get('/login').set('Sec-Fetch-Dest', 'document').expect(302);
    // Node's fetch and other server-side clients say cors without a destination; curl says nothing.
    await stack.newAgent().get('/login').set('Sec-Fetch-Mode', 'cors').expect(302);
    await stack.newAgent().get('/login').expect(429);
  });

  it("D7: POST /refresh is limited per session below RingCentral's Auth quota, with a friendly 429", async () => {
    stack = await startStack();
    await signIn(stack);
    const csrf = await csrfTokenOf(stack.agent);
    const refresh = () => stack!.agent.post('/refresh').type('form').send({ _csrf: csrf }).accept('html');

    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await refresh()).status);
    const limited = await refresh();

    expect(statuses).toEqual([303, 303, 303, 429]);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.text).toContain('REFRESH_RATE_LIMITED');
    expect(tokenRequests(stack).filter((r) => r.body.includes('refresh_token'))).toHaveLength(3);
  });

  it('E7: logout wins over a refresh in flight: the old cookie is signed out and every token revoked', async () => {
    stack = await startStack();
    await signIn(stack);
    const cookie = String((await stack.agent.get('/')).request.cookies);
    const csrf = await csrfTokenOf(stack.agent);
    const gate = stack.emulator.faults.holdNextAnswer('token');

    const refresh = stack.agent
      .post('/refresh')
      .type('form')
      .send({ _csrf: csrf })
      .then((r) => r);
    await gate.answered; // RingCentral has rotated the tokens; its answer is not back yet
    const logout = stack.agent
      .post('/logout')
      .type('form')
      .send({ _csrf: csrf })
      .then((r) => r);
    await Promise.race([logout, waitFor(() => stack!.logs().includes('sign-out waits'))]);
    gate.release();
    await Promise.all([refresh, logout]);

    const replay = await stack.newAgent().get('/').set('Cookie', cookie).expect(200);
    expect(replay.text).toContain('Sign in with RingCentral');
    for (const token of stack.emulator.store.issuedTokens())
      expect(stack.emulator.store.isSessionActive(token)).toBe(false);
  });

  it.each([
    ['1e13', 1e13],
    ['1e306', 1e306],
  ])(
    'C8: a token answer with expires_in %s neither breaks a page nor costs a token call per page',
    async (_name, huge) => {
      stack = await startStack();
      await signIn(stack, { agent: stack.newAgent() });
      const [accessToken] = stack.emulator.store.issuedTokens();
      stack.emulator.faults.failNext('token', {
        kind: 'status',
        status: 200,
        body: {
          access_token: accessToken,
          token_type: 'bearer',
          expires_in: huge,
          refresh_token: 'hostile-refresh-token',
          refresh_token_expires_in: huge,
          scope: 'ReadAccounts',
        },
      });
      await signIn(stack);
      const calls = tokenRequests(stack).length;

      const pages = [await stack.agent.get('/'), await stack.agent.get('/')];

      expect(pages.map((page) => page.status)).toEqual([200, 200]);
      expect(pages[1]?.text).toContain('Log out');
      expect(tokenRequests(stack)).toHaveLength(calls);
    },
  );

  it('H5: a huge provider error text is cut short in the log line', async () => {
    stack = await startStack();
    stack.emulator.faults.failNext('token', {
      kind: 'status',
      status: 400,
      body: { error: 'invalid_grant', error_description: 'x'.repeat(20_000) },
    });

    await signIn(stack);

    const lines = stack.logs().split('\n');
    expect(lines.some((line) => line.includes('invalid_grant'))).toBe(true);
    for (const line of lines) expect(line.length).toBeLessThan(2_000);
  });
});

describe('security: production refuses weak settings (G10)', () => {
  const production = {
    NODE_ENV: 'production',
    BASE_URL: 'https://app.example.com',
    RINGCENTRAL_CLIENT_ID: 'id',
    RINGCENTRAL_CLIENT_SECRET: 'secret',
    SESSION_STORE: 'memory',
    SESSION_SECRET: strongSessionSecret(),
  };

  it('starts with a random SESSION_SECRET and a trusted-proxy hop count', () => {
    expect(() => loadConfig({ ...production, TRUST_PROXY: '1' })).not.toThrow();
  });

  it.each(['a'.repeat(32), 'password'.repeat(4), 'abababababababababababababababab'])(
    'refuses the guessable SESSION_SECRET %j, naming it',
    (secret) => {
      expect(() => loadConfig({ ...production, SESSION_SECRET: secret })).toThrow(
        /SESSION_SECRET.*guessable/,
      );
    },
  );

  it('refuses TRUST_PROXY=true, asking for a hop count or the proxy addresses', () => {
    expect(() => loadConfig({ ...production, TRUST_PROXY: 'true' })).toThrow(
      /TRUST_PROXY.*hop count.*addresses/,
    );
  });
});

describe('security: server timeouts (G11)', () => {
  it('cuts a request whose body trickles in, with 408, within the configured time', async () => {
    const config = loadConfig({
      ...makeTestEnv(),
      HTTP_REQUEST_TIMEOUT_MS: '1000',
      HTTP_HEADERS_TIMEOUT_MS: '1000',
    });
    const { app, sessionBackend } = composeApp(config, createLogger('silent', process.stdout));
    const server = await listen(app, config, '127.0.0.1');
    try {
      const port = (server.address() as { port: number }).port;
      const socket = connect(port, '127.0.0.1');
      const closed = new Promise<string>((resolve) => {
        let received = '';
        socket.on('data', (chunk) => (received += String(chunk)));
        socket.on('close', () => resolve(received));
      });
      socket.write(
        'POST /logout HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n',
      );
      socket.write('Content-Length: 1000\r\n\r\n_');
      const trickle = setInterval(() => socket.write('a'), 200);

      const answer = await closed.finally(() => clearInterval(trickle));

      expect(answer).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await sessionBackend.close();
    }
  }, 15_000);
});

/** The environment makeTestConfig uses, as the operator would set it. */
function makeTestEnv(): Record<string, string> {
  return { RINGCENTRAL_CLIENT_ID: 'id', RINGCENTRAL_CLIENT_SECRET: 'secret', PORT: '0', LOG_LEVEL: 'silent' };
}

/** A session backend whose writes wait until released: lets two requests both get past their reads. */
function holdWrites(real: SessionBackend) {
  let open = true;
  const waiting: (() => void)[] = [];
  const heldSet: SessionBackend['store']['set'] = (sid, data, done) => {
    const write = () => real.store.set(sid, data, done);
    if (open) write();
    else waiting.push(write);
  };
  const store = new Proxy(real.store, {
    get(target, name) {
      if (name === 'set') return heldSet;
      const value: unknown = Reflect.get(target, name, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    backend: { ...real, store } as SessionBackend,
    waiting: () => waiting.length,
    hold() {
      open = false;
    },
    release() {
      open = true;
      for (const write of waiting.splice(0)) write();
    },
  };
}
