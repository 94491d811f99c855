// Checklist §A7/§E4 (open redirects) and §B9/§F (session fixation, cookies, forged cookies).
import { decide, pathOf, sessionCookieOf, sessionSetCookieOf, signIn } from '../helpers/sign-in';
import { startStack, type Stack } from '../helpers/stack';

describe('security: redirects and the session cookie', () => {
  let stack: Stack;

  beforeEach(async () => {
    stack = await startStack();
  });
  afterEach(() => stack.close());

  it.each([
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    '\\/evil.example',
    '/%2F%2Fevil.example',
    '/%2f/evil.example',
    '/%5C%5Cevil.example',
    'https://evil.example',
    'HTTPS://evil.example',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    '/\r\nLocation:https://evil.example',
    '/%0d%0aLocation:https://evil.example',
    '/\u2028evil',
    '/' + 'x'.repeat(5000),
  ])('A7: refuses returnTo=%j, so the final Location is never off-site', async (returnTo) => {
    const response = await stack.newAgent().get(`/login?returnTo=${encodeURIComponent(returnTo)}`);

    expect(response.status).toBe(400);
    expect(response.headers['location']).toBeUndefined();
  });

  it('A7: a valid returnTo comes back as a same-origin path after the callback', async () => {
    const { response } = await signIn(stack, { returnTo: '/a/b?c=d' });

    expect(response.headers['location']).toBe('/a/b?c=d');
  });

  it('E4: logout goes to the signed-out page whatever returnTo/next parameters say', async () => {
    await signIn(stack);
    const page = await stack.agent.get('/');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';

    const response = await stack.agent
      .post('/logout?returnTo=https://evil.example&next=//evil.example')
      .type('form')
      .send({ _csrf: csrf });

    expect(response.headers['location']).toBe('/signed-out');
  });

  it('B9: a session id planted before sign-in is not the one signed in', async () => {
    const planted = 'rcapp.sid=s%3Aplanted-by-an-attacker.AAAA';
    const login = await stack.agent.get('/login').set('Cookie', planted);
    const callbackUrl = await decide(new URL(login.headers['location'] as string), 'approve');

    const callback = await stack.agent.get(pathOf(callbackUrl));

    expect(callback.status).toBe(303);
    expect(sessionCookieOf(callback)).toMatch(/^rcapp\.sid=s%3A[A-Za-z0-9_-]{32}\./);
    const replay = await stack.newAgent().get('/').set('Cookie', planted);
    expect(replay.text).toContain('Sign in with RingCentral');
  });

  it("B9: an attacker's own signed-in session id, planted in a browser, is replaced when that browser signs in", async () => {
    const attacker = stack.newAgent();
    const { response } = await signIn(stack, { agent: attacker, user: '101000001' });
    const planted = sessionCookieOf(response);
    const victim = stack.newAgent();

    const login = await victim.get('/login').set('Cookie', planted);
    const callbackUrl = await decide(new URL(login.headers['location'] as string), 'approve', '101000002');
    const callback = await victim.get(pathOf(callbackUrl)).set('Cookie', planted);

    expect(callback.status).toBe(303);
    const signedIn = sessionCookieOf(callback);
    expect(signedIn).toMatch(/^rcapp\.sid=s%3A[A-Za-z0-9_-]{32}\./);
    expect(signedIn).not.toBe(planted);
    const victimPage = await stack.newAgent().get('/').set('Cookie', signedIn);
    expect(victimPage.text).toContain('Signed in as Grace Hopper');
    const attackerPage = await stack.newAgent().get('/').set('Cookie', planted);
    expect(attackerPage.text).not.toContain('Grace Hopper');
  });

  it('F1: the session cookie is HttpOnly, SameSite=Lax, Path=/, host-only, and not named connect.sid', async () => {
    const { response } = await signIn(stack, { agent: stack.newAgent() });

    const cookie = sessionSetCookieOf(response);
    expect(cookie).toMatch(/^rcapp\.sid=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Domain=/i);
  });

  it('F2: session ids are unique and signed', async () => {
    const cookies = await Promise.all(Array.from({ length: 40 }, async () => signedInCookie(stack)));

    expect(new Set(cookies).size).toBe(40);
    for (const cookie of cookies)
      expect(decodeURIComponent(cookie)).toMatch(/^rcapp\.sid=s:[A-Za-z0-9_-]{32}\.[A-Za-z0-9+/]+$/);
  });

  it.each([
    ['a forged id', 'rcapp.sid=s%3Aforged-session-id.AAAA'],
    ['a tampered signature', null],
    ['garbage', 'rcapp.sid=%%%%'],
    ['an oversized cookie', `rcapp.sid=${'a'.repeat(8000)}`],
    ['many cookies', Array.from({ length: 200 }, (_, i) => `c${i}=v`).join('; ')],
  ])('F3: %s gets a fresh signed-out page, never a 5xx', async (_name, cookie) => {
    let header = cookie;
    if (header === null) {
      const real = await signedInCookie(stack);
      header = `${real.slice(0, -3)}xyz`;
    }

    const response = await stack.newAgent().get('/').set('Cookie', header);

    expect(response.status).toBe(200);
    expect(response.text).toContain('Sign in with RingCentral');
  });
});

/** The session cookie of a fresh sign-in in a new browser, as `name=value`. */
async function signedInCookie(stack: Stack): Promise<string> {
  const { response } = await signIn(stack, { agent: stack.newAgent() });
  return sessionCookieOf(response);
}
