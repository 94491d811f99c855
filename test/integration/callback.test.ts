import { decide, pathOf, startLogin, tokenRequests } from '../helpers/sign-in';
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
});
