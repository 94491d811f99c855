import { createHash } from 'node:crypto';
import { decide, pathOf, signIn, startLogin, tokenRequests } from '../helpers/sign-in';
import { startStack, type Stack } from '../helpers/stack';
import { TEST_CLIENT } from '../helpers/test-config';

describe('signing in with RingCentral', () => {
  let stack: Stack;

  beforeEach(async () => {
    stack = await startStack();
  });
  afterEach(() => stack.close());

  it('shows a signed-out landing page with a Sign in link to /login', async () => {
    const page = await stack.agent.get('/').expect(200);

    expect(page.text).toContain('Sign in with RingCentral');
    expect(page.text).toContain('href="/login"');
    expect(page.headers['set-cookie']).toBeUndefined();
  });

  it('redirects GET /login to the authorize endpoint with code, client, redirect URI, state and S256 PKCE', async () => {
    const authorizeUrl = await startLogin(stack.agent);

    expect(authorizeUrl.origin + authorizeUrl.pathname).toBe(
      `${stack.emulator.baseUrl}/restapi/oauth/authorize`,
    );
    const params = authorizeUrl.searchParams;
    expect(params.getAll('response_type')).toEqual(['code']);
    expect(params.get('client_id')).toBe(TEST_CLIENT.clientId);
    expect(params.get('redirect_uri')).toBe(`${stack.appUrl}/oauth/callback`);
    expect(params.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get('code_challenge_method')).toBe('S256');
    expect([...params.keys()].sort()).toEqual(
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

  it('exchanges the code server-side with Basic auth and a form body, then shows the dashboard', async () => {
    const authorizeUrl = await startLogin(stack.agent);
    const callbackUrl = await decide(authorizeUrl, 'approve', '101000002');

    const callback = await stack.agent.get(pathOf(callbackUrl)).expect(303);
    const dashboard = await stack.agent.get('/').expect(200);

    expect(callback.headers['location']).toBe('/');
    const [exchange] = tokenRequests(stack);
    expect(tokenRequests(stack)).toHaveLength(1);
    expect(exchange?.query).toBe('');
    expect(exchange?.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(exchange?.authorization).toBe(
      `Basic ${Buffer.from('test-client:test-secret-with%2Bspecial%25chars%3A').toString('base64')}`,
    );
    const form = new URLSearchParams(exchange?.body);
    expect(form.get('grant_type')).toBe('authorization_code');
    expect(form.get('code')).toBe(callbackUrl.searchParams.get('code'));
    expect(form.get('redirect_uri')).toBe(authorizeUrl.searchParams.get('redirect_uri'));
    expect(form.has('client_secret')).toBe(false);
    const verifier = form.get('code_verifier') ?? '';
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe(
      authorizeUrl.searchParams.get('code_challenge'),
    );
    expect(dashboard.text).toContain('Signed in as Grace Hopper');
    expect(dashboard.text).toContain('grace.hopper@example.com');
    expect(dashboard.text).toContain('<dd>102</dd>');
    expect(dashboard.text).toContain('<dd>400000001</dd>');
    expect(dashboard.text).toContain('<li>ReadAccounts</li><li>ReadCallLog</li>');
    expect(dashboard.text).toMatch(/(59 min \d+ s|1 h 0 min) left/);
    expect(dashboard.text).toMatch(/6 d 23 h left/);
  });

  it('never puts a token, the code verifier or the client secret in a page, header or log line', async () => {
    const { callbackUrl } = await signIn(stack);
    const dashboard = await stack.agent.get('/').expect(200);

    const exchange = new URLSearchParams(tokenRequests(stack)[0]?.body);
    const verifier = exchange.get('code_verifier') ?? '';
    expect(stack.emulator.store.issuedTokens()).toHaveLength(2);
    const everything = dashboard.text + JSON.stringify(dashboard.headers) + stack.logs();
    for (const secret of [
      ...stack.emulator.store.issuedTokens(),
      verifier,
      TEST_CLIENT.clientSecret,
      callbackUrl.searchParams.get('code') ?? '',
    ]) {
      expect(secret.length).toBeGreaterThan(10);
      expect(everything).not.toContain(secret);
    }
    expect(dashboard.text).toMatch(/<code[^>]*>[A-Za-z0-9_-]{6}…<\/code>/);
  });

  it('gives a new session id at sign-in, so a cookie planted before sign-in stays signed out', async () => {
    await startLogin(stack.agent);
    const before = cookieValue(await stack.agent.get('/login'));

    const { response } = await signIn(stack);

    const after = cookieValue(response);
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    const withOldCookie = await stack.newAgent().get('/').set('Cookie', `rcapp.sid=${before}`).expect(200);
    expect(withOldCookie.text).toContain('Sign in with RingCentral');
  });

  it('sets an HttpOnly, SameSite=Lax session cookie that is not named connect.sid', async () => {
    const response = await stack.agent.get('/login').expect(302);

    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/^rcapp\.sid=/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
  });

  it('returns to the deep link given to /login', async () => {
    const { response } = await signIn(stack, { returnTo: '/reports?month=11' });

    expect(response.status).toBe(303);
    expect(response.headers['location']).toBe('/reports?month=11');
  });

  it('marks every page that carries sign-in state as no-store', async () => {
    const login = await stack.agent.get('/login');
    const { response: callback } = await signIn(stack);
    const dashboard = await stack.agent.get('/');

    for (const response of [login, callback, dashboard])
      expect(response.headers['cache-control']).toBe('no-store');
  });

  it('fetches the user once at sign-in and makes no call to RingCentral while showing a fresh token', async () => {
    await signIn(stack);
    const callsAfterSignIn = stack.emulator.requests.length;

    await stack.agent.get('/').expect(200);
    await stack.agent.get('/').expect(200);

    expect(stack.emulator.requests.filter((r) => r.path.startsWith('/restapi/v1.0/'))).toHaveLength(1);
    expect(stack.emulator.requests).toHaveLength(callsAfterSignIn);
  });

  it('keeps two tabs apart: each finishes its own pending sign-in', async () => {
    const first = await startLogin(stack.agent, '?returnTo=/first');
    const second = await startLogin(stack.agent, '?returnTo=/second');

    const secondDone = await stack.agent.get(pathOf(await decide(second, 'approve'))).expect(303);

    expect(secondDone.headers['location']).toBe('/second');
    expect(first.searchParams.get('state')).not.toBe(second.searchParams.get('state'));
  });
});

function cookieValue(response: { headers: Record<string, unknown> }): string | undefined {
  const header = response.headers['set-cookie'] as string[] | undefined;
  return header?.[0]?.split(';')[0]?.split('=').slice(1).join('=');
}
