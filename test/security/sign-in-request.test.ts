// Checklist §A/§B (security-checklist.md): the authorization request and the callback.
import { createHash } from 'node:crypto';
import { decide, pathOf, sessionCookieOf, signIn, startLogin, tokenRequests } from '../helpers/sign-in';
import { startStack, type Stack } from '../helpers/stack';
import { TEST_CLIENT } from '../helpers/test-config';

describe('security: the sign-in request and callback', () => {
  let stack: Stack;

  beforeEach(async () => {
    stack = await startStack();
  });
  afterEach(() => stack.close());

  it('A1: uses the authorization code flow and nothing else (response_type=code, once)', async () => {
    const url = await startLogin(stack.newAgent());

    expect(url.pathname).toBe('/restapi/oauth/authorize');
    expect(url.searchParams.getAll('response_type')).toEqual(['code']);
  });

  it('A2: makes each state random (≥ 128 bits), unique, and keeps it out of cookies and the page body', async () => {
    const responses = await Promise.all(Array.from({ length: 300 }, () => stack.newAgent().get('/login')));
    const states = responses.map(
      (r) => new URL(r.headers['location'] as string).searchParams.get('state') ?? '',
    );

    expect(new Set(states).size).toBe(300);
    for (const [i, state] of states.entries()) {
      expect(state).toMatch(/^[A-Za-z0-9_-]{43,}$/);
      expect(String(responses[i]?.headers['set-cookie'])).not.toContain(state);
      expect(responses[i]?.text ?? '').not.toContain(state);
    }
  });

  it('A3: sends an S256 challenge that the emulator checks against the verifier, which never reaches the browser', async () => {
    const { authorizeUrl, response } = await signIn(stack);
    const dashboard = await stack.agent.get('/');

    const verifier = new URLSearchParams(tokenRequests(stack)[0]?.body).get('code_verifier') ?? '';
    expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe(
      authorizeUrl.searchParams.get('code_challenge'),
    );
    for (const seen of [
      response.text,
      JSON.stringify(response.headers),
      dashboard.text,
      JSON.stringify(dashboard.headers),
    ]) {
      expect(seen).not.toContain(verifier);
    }
  });

  it('A4: sends a request on a forged Host to BASE_URL, never to that host', async () => {
    const response = await stack
      .newAgent()
      .get('/login?returnTo=%2F')
      .set('Host', 'evil.example')
      .expect(302);

    expect(response.headers['location']).toBe(`${stack.appUrl}/login?returnTo=%2F`);
  });

  it('A4: takes redirect_uri from configuration, whatever X-Forwarded-* or Forwarded say', async () => {
    const response = await stack
      .newAgent()
      .get('/login')
      .set('X-Forwarded-Host', 'evil.example')
      .set('X-Forwarded-Proto', 'http')
      .set('Forwarded', 'host=evil.example;proto=http');

    const url = new URL(response.headers['location'] as string);
    expect(url.searchParams.get('redirect_uri')).toBe(`${stack.appUrl}/oauth/callback`);
    await signIn(stack);
    const exchange = new URLSearchParams(tokenRequests(stack)[0]?.body);
    expect(exchange.get('redirect_uri')).toBe(`${stack.appUrl}/oauth/callback`);
  });

  it('A5: ignores request parameters that try to choose the server or endpoints', async () => {
    const url = await startLogin(
      stack.newAgent(),
      '?server=https://evil.example&authorize_url=https://evil.example&token_url=x&redirect_uri=https://evil.example/cb&client_id=evil',
    );

    expect(url.origin).toBe(stack.emulator.baseUrl);
    expect(url.searchParams.get('redirect_uri')).toBe(`${stack.appUrl}/oauth/callback`);
    expect(url.searchParams.get('client_id')).toBe(TEST_CLIENT.clientId);
  });

  it('A6: sends only the parameters the flow needs', async () => {
    const url = await startLogin(stack.newAgent());

    expect(url.searchParams.get('client_id')).toBe(TEST_CLIENT.clientId);
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect([...url.searchParams.keys()].sort()).toEqual(
      [
        'client_id',
        'code_challenge',
        'code_challenge_method',
        'redirect_uri',
        'response_type',
        'state',
      ].sort(),
    );
  });

  it('B1: a missing, repeated, wrong, expired or other-session state makes no token call and leaves the sign-in usable', async () => {
    const authorizeUrl = await startLogin(stack.agent);
    const good = await decide(authorizeUrl, 'approve');
    const variants = [
      (u: URL) => u.searchParams.delete('state'),
      (u: URL) => u.searchParams.set('state', ''),
      (u: URL) => u.searchParams.append('state', 'x'),
      (u: URL) => u.searchParams.set('state', 'A'.repeat(43)),
    ];

    for (const spoil of variants) {
      const bad = new URL(good);
      spoil(bad);
      expect((await stack.agent.get(pathOf(bad))).status).toBe(400);
    }
    expect((await stack.newAgent().get(pathOf(good))).status).toBe(400); // another browser's session
    expect(tokenRequests(stack)).toHaveLength(0);
    expect((await stack.agent.get(pathOf(good))).status).toBe(303);
  });

  it('B2: a state is good for one callback: a replay makes no second token call', async () => {
    const { callbackUrl } = await signIn(stack);

    const sameBrowser = await stack.agent.get(pathOf(callbackUrl));
    const otherBrowser = await stack.newAgent().get(pathOf(callbackUrl));

    expect(sameBrowser.status).toBe(303); // B12: already signed in (Back button): home, nothing else
    expect(sameBrowser.headers['location']).toBe('/');
    expect(otherBrowser.status).toBe(400);
    expect(tokenRequests(stack)).toHaveLength(1);
  });

  it('B12: a signed-in browser that still sends the sign-in cookie (its clearing was lost) goes home on a replay', async () => {
    const login = await stack.agent.get('/login').expect(302);
    const signInCookie = String((login.headers['set-cookie'] as unknown as string[])[0]).split(';')[0];
    const callbackUrl = await decide(new URL(login.headers['location'] as string), 'approve');
    const done = await stack.agent.get(pathOf(callbackUrl)).expect(303);

    const replay = await stack
      .newAgent()
      .get(pathOf(callbackUrl))
      .set('Cookie', `${signInCookie ?? ''}; ${sessionCookieOf(done)}`);

    expect(replay.status).toBe(303);
    expect(replay.headers['location']).toBe('/');
    expect(tokenRequests(stack)).toHaveLength(1);
  });

  it('B3: an error answer makes no token call even when a code comes with it', async () => {
    const authorizeUrl = await startLogin(stack.agent);
    const state = authorizeUrl.searchParams.get('state') ?? '';

    const page = await stack.agent.get(`/oauth/callback?state=${state}&code=abc&error=access_denied`);

    expect(page.status).toBe(403);
    expect(tokenRequests(stack)).toHaveLength(0);
  });

  it('B7: the code exchange is a form POST with Basic auth, no query string, no secret in the body', async () => {
    await signIn(stack);

    const [exchange] = tokenRequests(stack);
    expect(exchange?.method).toBe('POST');
    expect(exchange?.query).toBe('');
    expect(exchange?.authorization).toMatch(/^Basic [A-Za-z0-9+/=]+$/);
    expect(exchange?.body).not.toMatch(/client_secret/);
  });

  it('B10: the callback answers with a redirect to a same-origin path and no page', async () => {
    const { response } = await signIn(stack);

    expect(response.status).toBe(303);
    expect(response.headers['location']).toBe('/');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
  });
});
