import { csrfTokenOf, signIn } from '../helpers/sign-in';
import { startStack, type Stack } from '../helpers/stack';

describe('POST /logout', () => {
  let stack: Stack;

  beforeEach(async () => {
    stack = await startStack();
    await signIn(stack);
  });
  afterEach(() => stack.close());

  const revokes = () => stack.emulator.requests.filter((r) => r.path === '/restapi/oauth/revoke');

  it('revokes the token session at RingCentral, ends the session and clears the cookie', async () => {
    const [accessToken, refreshToken] = stack.emulator.store.issuedTokens();
    const csrf = await csrfTokenOf(stack.agent);

    const response = await stack.agent.post('/logout').type('form').send({ _csrf: csrf }).expect(303);
    const confirmation = await stack.agent.get(response.headers['location'] as string).expect(200);
    const home = await stack.agent.get('/').expect(200);

    expect(response.headers['location']).toBe('/signed-out');
    expect(confirmation.text).toContain('<h1>You are signed out</h1>');
    expect(confirmation.text).toMatch(/<a class="button primary" href="\/login">Sign in again<\/a>/);
    expect(String(response.headers['set-cookie'])).toMatch(/rcapp\.sid=;.*Expires=Thu, 01 Jan 1970/);
    expect(revokes()).toHaveLength(1);
    expect(revokes()[0]?.query).toBe('');
    expect(new URLSearchParams(revokes()[0]?.body).get('token')).toBe(refreshToken);
    expect(revokes()[0]?.authorization).toMatch(/^Basic /);
    expect(stack.emulator.store.isSessionActive(accessToken ?? '')).toBe(false);
    expect(home.text).toContain('Sign in with RingCentral');
  });

  it('sends someone still signed in from /signed-out to their session', async () => {
    await stack.agent.get('/signed-out').expect(303).expect('Location', '/');
  });

  it('makes the old session cookie worthless', async () => {
    const dashboard = await stack.agent.get('/').expect(200);
    const cookie = String(dashboard.request.cookies);
    const csrf = await csrfTokenOf(stack.agent);
    await stack.agent.post('/logout').type('form').send({ _csrf: csrf }).expect(303);

    const replay = await stack.newAgent().get('/').set('Cookie', cookie).expect(200);

    expect(replay.text).toContain('Sign in with RingCentral');
  });

  it('still signs the user out here when RingCentral fails the revoke', async () => {
    const csrf = await csrfTokenOf(stack.agent);
    stack.emulator.faults.failNext('revoke', { kind: 'status', status: 503 });

    await stack.agent.post('/logout').type('form').send({ _csrf: csrf }).expect(303);

    await stack.agent.get('/').expect(200, /Sign in with RingCentral/);
    const line = stack
      .logs()
      .split('\n')
      .find((l) => l.includes('token revocation failed'));
    expect(line).toContain('"code":"PROVIDER_UNAVAILABLE"');
    expect(line).toMatch(/"reqId":"[0-9a-f-]{36}"/);
  });

  it('is harmless when already signed out', async () => {
    const response = await stack.newAgent().post('/logout').type('form').send({}).expect(303);

    expect(response.headers['location']).toBe('/');
  });
});
