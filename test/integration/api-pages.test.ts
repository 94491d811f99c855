// The API pages as a signed-in person and as a script see them: the user's extension and call log fetched
// with their token, and what happens when RingCentral answers 401, 403 or 429.
import { signIn, tokenRequests } from '../helpers/sign-in';
import { startStack, type Stack, type StackOptions } from '../helpers/stack';

const CALL_LOG = '/restapi/v1.0/account/~/extension/~/call-log';
const callLogCalls = (stack: Stack) => stack.emulator.requests.filter((r) => r.path === CALL_LOG);
const refreshes = (stack: Stack) =>
  tokenRequests(stack).filter((r) => new URLSearchParams(r.body).get('grant_type') === 'refresh_token');

interface CallLogJson {
  records: { id: string; startTime: string; direction: string; from: unknown; to: unknown }[];
  paging: { page: number; perPage: number; totalPages: number; totalElements: number };
}

describe('API pages', () => {
  let stack: Stack;
  const start = async (options: StackOptions = {}, user?: string) => {
    stack = await startStack(options);
    await signIn(stack, user === undefined ? {} : { user });
  };
  afterEach(() => stack.close());

  describe('signed in', () => {
    beforeEach(() => start({ emulator: { sentinels: true } }));

    it('shows the call log as a table: time, direction, from, to, result, duration', async () => {
      const page = await stack.agent.get('/api/call-log').expect(200);

      expect(page.text).toContain('<h1 id="call-log-title">Your call log</h1>');
      expect(page.text).toMatch(
        /<th scope="col">Time<\/th><th scope="col">Direction<\/th><th scope="col">From<\/th><th scope="col">To<\/th><th scope="col">Result<\/th><th scope="col">Duration<\/th>/,
      );
      expect(page.text.match(/<tr><td>/g)).toHaveLength(25);
      expect(page.text).toMatch(/<td>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC<\/td><td>(Inbound|Outbound)<\/td>/);
      expect(page.text).toMatch(/<td>ext\. 101 <span class="muted">\+16505550101<\/span><\/td>/);
      expect(page.text).toMatch(
        /<td>(Grace Hopper|Alan Turing|Katherine Johnson|Dennis Ritchie|Barbara Liskov) <span class="muted">\+1415555\d{4}<\/span><\/td>/,
      );
      expect(page.text).toContain('Page 1 of 3 · 57 calls');
      expect(page.text).toContain('href="/api/call-log?page=2"');
      expect(callLogCalls(stack)[0]?.query).toBe('view=Simple&page=1&perPage=25');
    });

    it('answers JSON with RingCentral records and paging, and pages on', async () => {
      const first = await stack.agent.get('/api/call-log').accept('json').expect(200);
      const third = await stack.agent.get('/api/call-log?page=3').accept('json').expect(200);

      const body = first.body as CallLogJson;
      expect(body.paging).toEqual({ page: 1, perPage: 25, totalPages: 3, totalElements: 57 });
      expect(body.records[0]).toEqual({
        id: expect.any(String),
        startTime: expect.any(String),
        duration: expect.any(Number),
        type: 'Voice',
        direction: expect.stringMatching(/^(Inbound|Outbound)$/),
        action: expect.any(String),
        result: expect.any(String),
        from: expect.objectContaining({ phoneNumber: expect.any(String) }),
        to: expect.objectContaining({ phoneNumber: expect.any(String) }),
      });
      expect((third.body as CallLogJson).records).toHaveLength(7);
    });

    it('shows the extension record, as a page and as JSON', async () => {
      const page = await stack.agent.get('/api/extension').expect(200);
      const json = await stack.agent.get('/api/extension').accept('json').expect(200);

      expect(page.text).toContain('<dt>Name</dt><dd>Ada Lovelace</dd>');
      expect(page.text).toContain('<dt>Extension number</dt><dd>101</dd>');
      expect(json.body).toMatchObject({
        extension: { id: '101000001', name: 'Ada Lovelace', contact: { email: 'ada.lovelace@example.com' } },
      });
    });

    it('links to both from the dashboard', async () => {
      const dashboard = await stack.agent.get('/').expect(200);

      expect(dashboard.text).toContain('href="/api/extension"');
      expect(dashboard.text).toContain('href="/api/call-log"');
    });

    it('never puts a token in a page or a JSON answer', async () => {
      const answers = [
        await stack.agent.get('/api/call-log'),
        await stack.agent.get('/api/call-log').accept('json'),
        await stack.agent.get('/api/extension'),
        await stack.agent.get('/api/extension').accept('json'),
      ];

      for (const answer of answers) {
        expect(answer.status).toBe(200);
        expect(answer.text).not.toContain('SENTINEL');
        expect(JSON.stringify(answer.headers)).not.toContain('SENTINEL');
      }
    });

    it.each(['page=0', 'page=abc', 'perPage=101', 'page=1&page=2', 'page=99999999'])(
      'answers ?%s with 400 and calls nothing',
      async (query) => {
        const answer = await stack.agent.get(`/api/call-log?${query}`).expect(400);

        expect(answer.text).toContain('REQUEST_INVALID');
        expect(callLogCalls(stack)).toHaveLength(0);
      },
    );
  });

  describe('signed out', () => {
    beforeEach(async () => {
      stack = await startStack();
    });

    it('sends a browser to sign in and back to the page it asked for, with no call before', async () => {
      const first = await stack.agent.get('/api/call-log?page=2').expect(303);

      expect(first.headers['location']).toBe('/login?returnTo=%2Fapi%2Fcall-log%3Fpage%3D2');
      expect(stack.emulator.requests).toHaveLength(0);
      const { response } = await signIn(stack, { returnTo: '/api/call-log?page=2' });
      expect(response.headers['location']).toBe('/api/call-log?page=2');
      await stack.agent.get('/api/call-log?page=2').expect(200, /Page 2 of 3/);
    });

    it('answers a script asking for JSON with 401 SIGN_IN_REQUIRED, and calls nothing', async () => {
      const answer = await stack.agent.get('/api/extension').accept('json').expect(401);

      expect(answer.body).toMatchObject({ error: { code: 'SIGN_IN_REQUIRED' } });
      expect(stack.emulator.requests).toHaveLength(0);
    });
  });

  it('refreshes before the call when the token expires within the refresh window, and calls once', async () => {
    await start();
    stack.clock.advance(3_600_000 - 30_000);

    await stack.agent.get('/api/call-log').expect(200, /57 calls/);

    expect(refreshes(stack)).toHaveLength(1);
    expect(callLogCalls(stack)).toHaveLength(1);
  });

  describe('when RingCentral answers 401', () => {
    beforeEach(() => start());

    it('refreshes once, retries once, and shows the records; the next load uses the new token', async () => {
      stack.emulator.faults.failNext('call-log', { kind: 'revoke-access-token' });

      const page = await stack.agent.get('/api/call-log').expect(200);
      await stack.agent.get('/api/call-log').expect(200);

      expect(page.text).toContain('57 calls');
      expect(refreshes(stack)).toHaveLength(1);
      const sent = callLogCalls(stack).map((call) => call.authorization);
      expect(sent).toHaveLength(3);
      expect(sent[0]).not.toBe(sent[1]); // the retry carries the refreshed token...
      expect(sent[2]).toBe(sent[1]); // ...and the session keeps it
    });

    it('makes one refresh for 40 parallel loads after the token was revoked', async () => {
      stack.emulator.faults.failNext('call-log', { kind: 'revoke-access-token' });

      const pages = await Promise.all(Array.from({ length: 40 }, () => stack.agent.get('/api/call-log')));

      expect(pages.map((page) => page.status)).toEqual(Array(40).fill(200));
      expect(refreshes(stack)).toHaveLength(1);
    });

    it('shows the 401 when the refreshed token is refused too, without a second refresh', async () => {
      const refused = { errorCode: 'TokenInvalid', message: 'Token not found', errors: [] };
      stack.emulator.faults.failNext('call-log', { kind: 'status', status: 401, body: refused }, 2);

      await stack.agent.get('/api/call-log').expect(401);

      expect(refreshes(stack)).toHaveLength(1);
      expect(callLogCalls(stack)).toHaveLength(2);
    });
  });

  it('ends the session with the usual page when the refresh fails (no refresh token issued)', async () => {
    await start({ client: { issueRefreshTokens: false } });
    const dashboard = await stack.agent.get('/').expect(200);
    stack.emulator.faults.failNext('call-log', { kind: 'revoke-access-token' });

    const page = await stack.agent.get('/api/call-log').expect(401);
    const home = await stack.agent.get('/').expect(200);

    expect(dashboard.text).toContain('no refresh token issued');
    expect(stack.logs()).toContain('RingCentral issued no refresh token: turn on \\"Issue refresh tokens\\"');
    expect(page.text).toContain('Your session ended');
    expect(home.text).toContain('Sign in with RingCentral');
    expect(refreshes(stack)).toHaveLength(0);
  });

  describe('when RingCentral answers 429', () => {
    beforeEach(() => start({ emulator: { rateLimits: { heavy: 2 } } }));

    it('shows the wait, and calls no more until Retry-After has passed (its penalty would restart)', async () => {
      await stack.agent.get('/api/call-log').expect(200);
      await stack.agent.get('/api/call-log').expect(200);

      const limited = await stack.agent.get('/api/call-log').expect(429);
      stack.clock.advance(30_000);
      const stillWaiting = await stack.agent.get('/api/call-log').accept('json').expect(429);
      const callsDuringTheWait = callLogCalls(stack).length;
      stack.clock.advance(31_000);
      const after = await stack.agent.get('/api/call-log');

      expect(limited.headers['retry-after']).toBe('60');
      expect(limited.text).toContain('Please wait <strong>60 seconds</strong>');
      expect(limited.text).toContain('API_RATE_LIMITED');
      expect(stillWaiting.headers['retry-after']).toBe('30');
      expect(stillWaiting.body).toMatchObject({ error: { code: 'API_RATE_LIMITED' } });
      expect(callsDuringTheWait).toBe(3);
      expect(after.status).toBe(200);
      // Only the call log waits: the extension is another API (and another RingCentral group).
      await stack.agent.get('/api/extension').expect(200);
    });
  });

  describe('when RingCentral answers 403 for a missing permission', () => {
    it("names the app's permission and the developer console", async () => {
      await start({ client: { permissions: ['ReadAccounts'] } });

      const page = await stack.agent.get('/api/call-log').expect(403);

      expect(page.text).toContain(
        'this app lacks the &#34;ReadCallLog&#34; permission. It is an app permission',
      );
      expect(page.text).toContain('developer console');
      expect(page.text).toContain('API_PERMISSION_MISSING');
      expect(stack.logs()).toContain(
        'The app lacks the permission(s) ReadCallLog (token scope: ReadAccounts)',
      );
    });

    it("names the user's permission and their role when the app has it (CMN-408)", async () => {
      await start({}, '101000003');

      const page = await stack.agent.get('/api/call-log').expect(403);
      const json = await stack.agent.get('/api/call-log').accept('json').expect(403);

      expect(page.text).toContain(
        'your RingCentral role lacks the &#34;ReadCallLog&#34; permission. It is a user permission',
      );
      expect(page.text).toContain('Admin Portal');
      expect(json.body).toMatchObject({
        error: { code: 'API_PERMISSION_MISSING', detail: expect.stringContaining('ReadCallLog') },
      });
      await stack.agent.get('/api/extension').expect(200);
    });
  });
});
