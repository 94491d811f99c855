import { csrfTokenOf, signIn, tokenRequests } from '../helpers/sign-in';
import { startStack, type Stack } from '../helpers/stack';

describe('POST /refresh', () => {
  let stack: Stack;

  beforeEach(async () => {
    stack = await startStack();
    await signIn(stack);
  });
  afterEach(() => stack.close());

  it('refreshes now: a refresh_token grant at RingCentral, new tokens kept, the result shown', async () => {
    const before = await stack.agent.get('/');
    const csrf = await csrfTokenOf(stack.agent);
    const [, refreshTokenFromSignIn] = stack.emulator.store.issuedTokens(); // [access, refresh]

    const response = await stack.agent.post('/refresh').type('form').send({ _csrf: csrf }).expect(303);
    const after = await stack.agent.get(response.headers['location'] as string).expect(200);

    expect(response.headers['location']).toBe('/?refreshed=1');
    const refresh = new URLSearchParams(tokenRequests(stack)[1]?.body);
    expect(refresh.get('grant_type')).toBe('refresh_token');
    expect(refresh.get('refresh_token')).toBe(refreshTokenFromSignIn);
    expect(tokenRequests(stack)[1]?.query).toBe('');
    expect(after.text).toContain('The access token was refreshed.');
    expect(after.text).not.toMatch(/Last refreshed<\/dt><dd[^>]*>not yet/);
    expect(before.text).toMatch(/Last refreshed<\/dt><dd[^>]*>not yet/);
    // What the page shows of the access token changes with it (RingCentral tokens share their first characters).
    const fingerprint = (html: string) => /data-field="accessTokenFingerprint">([^<]+)</.exec(html)?.[1];
    expect(fingerprint(after.text)).toMatch(/^[A-Za-z0-9_-]{10}$/);
    expect(fingerprint(after.text)).not.toBe(fingerprint(before.text));
  });

  it('uses the rotated refresh token for the next refresh (RingCentral refresh tokens are single-use)', async () => {
    for (let round = 0; round < 3; round += 1) {
      const csrf = await csrfTokenOf(stack.agent);
      await stack.agent.post('/refresh').type('form').send({ _csrf: csrf }).expect(303);
    }

    const sent = tokenRequests(stack)
      .slice(1)
      .map((r) => new URLSearchParams(r.body).get('refresh_token'));
    expect(new Set(sent).size).toBe(3);
    await stack.agent.get('/').expect(200, /Signed in as/);
  });

  it('accepts the headers a real browser sends on our own form (Origin: null under no-referrer)', async () => {
    const csrf = await csrfTokenOf(stack.agent);

    await stack.agent
      .post('/refresh')
      .set('Origin', 'null')
      .set('Sec-Fetch-Site', 'same-origin')
      .type('form')
      .send({ _csrf: csrf })
      .expect(303);
  });

  it('answers the dashboard script in JSON with the new token state, never a token', async () => {
    const csrf = await csrfTokenOf(stack.agent);

    const response = await stack.agent
      .post('/refresh')
      .type('form')
      .accept('json')
      .send({ _csrf: csrf })
      .expect(200);

    expect(response.body.token).toMatchObject({
      type: 'bearer',
      lifetimeSeconds: 3600,
      lastRefreshedAt: expect.stringMatching(/UTC$/),
    });
    for (const token of stack.emulator.store.issuedTokens()) expect(response.text).not.toContain(token);
  });

  it('signs the user out with a "session ended" page when RingCentral rejects the refresh token', async () => {
    const csrf = await csrfTokenOf(stack.agent);
    for (const token of stack.emulator.store.issuedTokens()) stack.emulator.store.revoke(token);

    const page = await stack.agent
      .post('/refresh')
      .type('form')
      .send({ _csrf: csrf })
      .accept('html')
      .expect(401);
    const home = await stack.agent.get('/').expect(200);

    expect(page.text).toContain('Your RingCentral session has ended');
    expect(page.text).toContain('href="/login"');
    expect(home.text).toContain('Sign in with RingCentral');
  });

  it("ends the oldest of a user's sessions at the sixth sign-in, as RingCentral's five-session limit does", async () => {
    const browsers = [stack.agent, ...Array.from({ length: 5 }, () => stack.newAgent())];
    for (const browser of browsers.slice(1)) await signIn(stack, { agent: browser });

    const answers = [];
    for (const browser of browsers) {
      const csrf = await csrfTokenOf(browser);
      answers.push(await browser.post('/refresh').type('form').send({ _csrf: csrf }).accept('html'));
    }

    expect(answers.map((answer) => answer.status)).toEqual([401, 303, 303, 303, 303, 303]);
    expect(answers[0]?.text).toContain('Your RingCentral session has ended');
  });

  it('keeps the user signed in when RingCentral stays down during a refresh (502 after one retry)', async () => {
    const csrf = await csrfTokenOf(stack.agent);
    stack.emulator.faults.failNext('token', { kind: 'status', status: 503, body: 'Service Unavailable' }, 2);

    const page = await stack.agent
      .post('/refresh')
      .type('form')
      .send({ _csrf: csrf })
      .accept('html')
      .expect(502);

    expect(page.text).toContain('RingCentral is unavailable');
    expect(tokenRequests(stack)).toHaveLength(3); // the exchange, the refresh and its one retry
    await stack.agent.get('/').expect(200, /Signed in as/);
    await stack.agent.post('/refresh').type('form').send({ _csrf: csrf }).expect(303);
  });

  it('retries a refresh once after a 5xx, and succeeds', async () => {
    const csrf = await csrfTokenOf(stack.agent);
    stack.emulator.faults.failNext('token', { kind: 'status', status: 503 });

    await stack.agent.post('/refresh').type('form').send({ _csrf: csrf }).expect(303);

    expect(tokenRequests(stack)).toHaveLength(3);
  });
});

describe('POST /refresh when signed out', () => {
  it('changes nothing and goes to the landing page', async () => {
    const stack = await startStack();
    try {
      const response = await stack.agent.post('/refresh').type('form').send({ _csrf: 'x' }).expect(303);

      expect(response.headers['location']).toBe('/');
      expect(tokenRequests(stack)).toHaveLength(0);
    } finally {
      await stack.close();
    }
  });
});
