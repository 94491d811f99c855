// Session timeouts, enforced on the server (OWASP session management; ASVS 7.3.1, 7.3.2): a browser-session
// cookie, an idle timeout renewed by activity, and an absolute lifetime that no refresh extends.
import { sessionSetCookieOf, signIn } from '../helpers/sign-in';
import { startStack, type Stack } from '../helpers/stack';

const MINUTE = 60_000;

const revocations = (stack: Stack) =>
  stack.emulator.requests.filter((r) => r.path === '/restapi/oauth/revoke');

describe('session timeouts', () => {
  let stack: Stack;

  afterEach(async () => {
    jest.restoreAllMocks();
    await stack.close();
  });

  it('sets a browser-session cookie: no Expires and no Max-Age, so closing the browser ends it', async () => {
    stack = await startStack();

    const { response } = await signIn(stack);

    const cookie = sessionSetCookieOf(response);
    expect(cookie).toMatch(/^rcapp\.sid=/);
    expect(cookie).not.toMatch(/Expires=|Max-Age=/i);
  });

  describe('idle timeout (30 minutes by default)', () => {
    // The in-process store keeps time with Date.now, so the test moves Date.now (and with it the app's and
    // the emulator's clocks, which read it too).
    let shift = 0;
    beforeEach(async () => {
      shift = 0;
      const realNow = Date.now.bind(Date);
      jest.spyOn(Date, 'now').mockImplementation(() => realNow() + shift);
      stack = await startStack();
      await signIn(stack);
    });

    it('keeps an active session: each request renews the idle time', async () => {
      shift += 29 * MINUTE;
      await stack.agent.get('/').expect(200, /Signed in as Ada Lovelace/);
      shift += 29 * MINUTE;

      // 58 minutes after sign-in, but only 29 since the last request.
      await stack.agent.get('/').expect(200, /Signed in as Ada Lovelace/);
    });

    it('signs out a session left idle for longer than the timeout', async () => {
      shift += 29 * MINUTE;
      await stack.agent.get('/').expect(200, /Signed in as Ada Lovelace/);
      shift += 31 * MINUTE;

      const page = await stack.agent.get('/').expect(200);

      expect(page.text).toContain('Sign in with RingCentral');
      expect(page.text).not.toContain('Signed in as');
    });
  });

  describe('absolute lifetime (SESSION_TTL_SECONDS)', () => {
    beforeEach(async () => {
      stack = await startStack({ env: { SESSION_TTL_SECONDS: '7200' } });
      await signIn(stack);
    });

    it('is not extended by token refreshes: the session ends 2 h after sign-in, with the tokens revoked', async () => {
      // The access token (1 h) is refreshed automatically on the way.
      stack.clock.advance(60 * MINUTE);
      await stack.agent.get('/').expect(200, /refreshed automatically/);
      stack.clock.advance(59 * MINUTE);
      await stack.agent.get('/').expect(200, /Signed in as Ada Lovelace/);
      expect(revocations(stack)).toHaveLength(0);

      stack.clock.advance(2 * MINUTE);
      const page = await stack.agent.get('/').expect(200);

      expect(page.text).toContain('your session reached its time limit');
      expect(page.text).not.toContain('Signed in as');
      expect(revocations(stack)).toHaveLength(1);
      expect(stack.logs()).toContain('session reached its lifetime; signed out');
      // The old session is gone for good: the next page is the plain landing page.
      const next = await stack.agent.get('/').expect(200);
      expect(next.text).not.toContain('time limit');
      expect(next.text).toContain('Sign in with RingCentral');
    });

    it('lets the user sign in again at once, with a full lifetime ahead', async () => {
      stack.clock.advance(121 * MINUTE);

      const { response } = await signIn(stack);

      expect(response.status).toBe(303);
      await stack.agent.get('/').expect(200, /Signed in as Ada Lovelace/);
      stack.clock.advance(119 * MINUTE);
      await stack.agent.get('/').expect(200, /Signed in as Ada Lovelace/);
    });

    it('refuses the form posts of an ended session as signed out, without touching RingCentral again', async () => {
      const dashboard = await stack.agent.get('/').expect(200);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(dashboard.text)?.[1] ?? '';
      stack.clock.advance(121 * MINUTE);
      const before = stack.emulator.requests.length;

      const refresh = await stack.agent.post('/refresh').type('form').send({ _csrf: csrf });

      expect(refresh.status).toBe(303);
      expect(refresh.headers['location']).toBe('/');
      // Only the revocation of the ended session; no refresh.
      expect(stack.emulator.requests.slice(before).map((r) => r.path)).toEqual(['/restapi/oauth/revoke']);
    });
  });
});
