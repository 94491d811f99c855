import { decide, pathOf, signIn, startLogin, tokenRequests } from '../helpers/sign-in';
import { startStack, type Stack } from '../helpers/stack';

describe('GET /oauth/callback', () => {
  let stack: Stack;

  beforeEach(async () => {
    stack = await startStack();
  });
  afterEach(() => stack.close());

  it('shows a friendly 403 page when the user denies access, and makes no token call', async () => {
    const authorizeUrl = await startLogin(stack.agent);
    const callbackUrl = await decide(authorizeUrl, 'deny');

    const page = await stack.agent.get(pathOf(callbackUrl)).accept('html').expect(403);

    expect(callbackUrl.searchParams.get('error')).toBe('access_denied');
    expect(page.text).toContain('You chose not to give this app access');
    expect(page.text).toContain('href="/login"');
    expect(tokenRequests(stack)).toHaveLength(0);
  });

  it('rejects a state that this session did not start with 400, makes no token call, and keeps the real sign-in usable', async () => {
    const authorizeUrl = await startLogin(stack.agent);
    const callbackUrl = await decide(authorizeUrl, 'approve');
    const forged = new URL(callbackUrl);
    forged.searchParams.set('state', 'forged-state-value-forged-state-value-1234');

    const rejected = await stack.agent.get(pathOf(forged)).accept('html').expect(400);
    const genuine = await stack.agent.get(pathOf(callbackUrl));

    expect(rejected.text).toContain('Sign-in link not valid');
    expect(genuine.status).toBe(303);
    expect(tokenRequests(stack)).toHaveLength(1);
  });

  it('rejects a callback from another browser (no pending sign-in in its session) with 400', async () => {
    const authorizeUrl = await startLogin(stack.agent);
    const callbackUrl = await decide(authorizeUrl, 'approve');

    const page = await stack.newAgent().get(pathOf(callbackUrl)).accept('html').expect(400);

    expect(page.text).toContain('LOGIN_SESSION_LOST');
    expect(tokenRequests(stack)).toHaveLength(0);
  });

  it('never redeems a code twice: a replayed callback while signed out is 400 with no second exchange', async () => {
    const other = stack.newAgent();
    const authorizeUrl = await startLogin(other);
    const callbackUrl = await decide(authorizeUrl, 'approve');
    stack.emulator.faults.failNext('token', { kind: 'status', status: 503 });
    await other.get(pathOf(callbackUrl)).expect(502);

    const replay = await other.get(pathOf(callbackUrl)).accept('html');

    expect(replay.status).toBe(400);
    expect(tokenRequests(stack)).toHaveLength(1);
  });

  it('sends a signed-in user who replays the callback (Back button) to the dashboard without a token call', async () => {
    const { callbackUrl } = await signIn(stack);

    const replay = await stack.agent.get(pathOf(callbackUrl)).expect(303);

    expect(replay.headers['location']).toBe('/');
    expect(tokenRequests(stack)).toHaveLength(1);
  });

  it('says the sign-in took too long when the callback comes back after 10 minutes', async () => {
    const authorizeUrl = await startLogin(stack.agent);
    const callbackUrl = await decide(authorizeUrl, 'approve');
    stack.clock.advance(11 * 60_000);

    const page = await stack.agent.get(pathOf(callbackUrl)).accept('html').expect(400);

    expect(page.text).toContain('The sign-in was not finished in time');
    expect(tokenRequests(stack)).toHaveLength(0);
  });

  it('explains an expired authorization code (OAU-108) as "sign in again" with 400', async () => {
    const authorizeUrl = await startLogin(stack.agent);
    const callbackUrl = await decide(authorizeUrl, 'approve');
    stack.clock.advance(61_000);

    const page = await stack.agent.get(pathOf(callbackUrl)).accept('html').expect(400);

    expect(page.text).toContain('Sign-in code expired');
    expect(page.text).toContain('OAU-108');
    expect(page.text).toContain('Authorization code is expired');
  });

  describe.each([
    ['no state at all', (u: URL) => u.searchParams.delete('state')],
    ['an empty state', (u: URL) => u.searchParams.set('state', '')],
    ['a repeated state', (u: URL) => u.searchParams.append('state', 'x')],
    ['a repeated code', (u: URL) => u.searchParams.append('code', 'x')],
    ['neither code nor error', (u: URL) => u.searchParams.delete('code')],
    ['a state with odd characters', (u: URL) => u.searchParams.set('state', '<script>')],
    ['a code with a line break', (u: URL) => u.searchParams.set('code', 'abc\r\nSet-Cookie: x=1')],
    ['an over-long code', (u: URL) => u.searchParams.set('code', 'a'.repeat(5000))],
    [
      'a state given as an object',
      (u: URL) => (u.searchParams.delete('state'), u.searchParams.set('state[x]', '1')),
    ],
  ])('with %s', (_name, spoil) => {
    it('answers 400, makes no token call and leaves the pending sign-in usable', async () => {
      const authorizeUrl = await startLogin(stack.agent);
      const callbackUrl = await decide(authorizeUrl, 'approve');
      const bad = new URL(callbackUrl);
      spoil(bad);

      const page = await stack.agent.get(pathOf(bad)).accept('html');
      const genuine = await stack.agent.get(pathOf(callbackUrl));

      expect(page.status).toBe(400);
      expect(page.text).not.toMatch(/at .*\.(ts|js):\d+/); // no stack trace
      expect(genuine.status).toBe(303);
      expect(tokenRequests(stack)).toHaveLength(1);
    });
  });

  it('answers POST with 405 and an Allow header', async () => {
    const response = await stack.agent.post('/oauth/callback').expect(405);

    expect(response.headers['allow']).toBe('GET, HEAD');
  });
});
