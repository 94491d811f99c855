// Each emulator fault on the refresh path gives its documented outcome, and the session keeps working
// tokens afterwards; a fault at logout still signs the user out here.
import request from 'supertest';
import type { Fault } from '../../src/emulator/emulator-faults';
import { csrfTokenOf, signIn, tokenRequests } from '../helpers/sign-in';
import { startStack, type Stack } from '../helpers/stack';

const refreshes = (stack: Stack) =>
  tokenRequests(stack).filter((r) => r.body.includes('grant_type=refresh_token'));

interface Case {
  readonly fault: Fault;
  readonly times: number;
  readonly status: number;
  readonly text: string;
  readonly refreshCalls: number;
  /** How long the user waits before the next page (a 429 asks for Retry-After seconds). */
  readonly thenWaitMs?: number;
}

const CASES: Record<string, Case> = {
  'a short delay': {
    fault: { kind: 'delay', ms: 100 },
    times: 1,
    status: 200,
    text: 'refreshed automatically',
    refreshCalls: 1,
  },
  'one hang (retried)': {
    fault: { kind: 'hang' },
    times: 1,
    status: 200,
    text: 'refreshed automatically',
    refreshCalls: 2,
  },
  'two hangs': {
    fault: { kind: 'hang' },
    times: 2,
    status: 504,
    text: 'RingCentral is not answering',
    refreshCalls: 2,
  },
  'one dropped connection (retried)': {
    fault: { kind: 'drop' },
    times: 1,
    status: 200,
    text: 'refreshed automatically',
    refreshCalls: 2,
  },
  'two dropped connections': {
    fault: { kind: 'drop' },
    times: 2,
    status: 502,
    text: 'RingCentral is unavailable',
    refreshCalls: 2,
  },
  'two 503s': {
    fault: { kind: 'status', status: 503 },
    times: 2,
    status: 502,
    text: 'RingCentral is unavailable',
    refreshCalls: 2,
  },
  'a 429 with Retry-After (not retried)': {
    fault: { kind: 'rate-limit', retryAfterSeconds: 42 },
    times: 1,
    status: 429,
    text: '42 seconds',
    refreshCalls: 1,
    thenWaitMs: 42_000,
  },
  'a non-JSON body (not retried)': {
    fault: { kind: 'status', status: 200, body: '<html>proxy login</html>' },
    times: 1,
    status: 502,
    text: 'Unexpected answer from RingCentral',
    refreshCalls: 1,
  },
};

describe.each(Object.entries(CASES))(
  'a refresh meeting %s',
  (_name, { fault, times, status, text, refreshCalls, thenWaitMs = 0 }) => {
    let stack: Stack;

    beforeEach(async () => {
      stack = await startStack({ env: { RINGCENTRAL_TIMEOUT_MS: '400' } });
      await signIn(stack);
      stack.clock.advance(3_600_000 - 30_000);
    });
    afterEach(() => stack.close());

    it(`answers ${status} and keeps the session with working tokens`, async () => {
      stack.emulator.faults.failNext('token', fault, times);

      const page = await stack.agent.get('/').accept('html');
      const callsForThatPage = refreshes(stack).length;
      stack.clock.advance(thenWaitMs);
      const after = await stack.agent.get('/').expect(200);

      expect(page.status).toBe(status);
      expect(page.text).toContain(text);
      if (fault.kind === 'rate-limit') expect(page.headers['retry-after']).toBe('42');
      expect(callsForThatPage).toBe(refreshCalls);
      expect(after.text).toContain('Signed in as Ada Lovelace');
    });
  },
);

describe('a 429 on a refresh', () => {
  it('keeps every request of the session from calling RingCentral again until Retry-After has passed', async () => {
    const stack = await startStack();
    try {
      await signIn(stack);
      const csrf = await csrfTokenOf(stack.agent);
      stack.clock.advance(3_600_000 - 30_000);
      stack.emulator.faults.failNext('token', { kind: 'rate-limit', retryAfterSeconds: 42 });

      const first = await stack.agent.get('/').accept('html').expect(429);
      stack.clock.advance(20_000);
      const page = await stack.agent.get('/').accept('html').expect(429);
      const post = await stack.agent.post('/refresh').type('form').send({ _csrf: csrf }).accept('html');
      const callsDuringTheWait = refreshes(stack).length;
      stack.clock.advance(23_000);
      const after = await stack.agent.get('/').expect(200);

      expect(first.headers['retry-after']).toBe('42');
      // The wait counts down from RingCentral's answer; it does not restart.
      expect(page.headers['retry-after']).toBe('22');
      expect(post.status).toBe(429);
      expect(callsDuringTheWait).toBe(1);
      expect(after.text).toContain('refreshed automatically');
      expect(refreshes(stack)).toHaveLength(2);
    } finally {
      await stack.close();
    }
  });
});

describe('a fault during logout', () => {
  it.each<[string, Fault]>([
    ['a hang', { kind: 'hang' }],
    ['a dropped connection', { kind: 'drop' }],
    ['a 500', { kind: 'status', status: 500 }],
  ])('still signs the user out here (%s)', async (_name, fault) => {
    const stack = await startStack({ env: { RINGCENTRAL_TIMEOUT_MS: '400' } });
    try {
      await signIn(stack);
      const csrf = await csrfTokenOf(stack.agent);
      stack.emulator.faults.failNext('revoke', fault);

      await stack.agent.post('/logout').type('form').send({ _csrf: csrf }).expect(303);

      await stack.agent.get('/').expect(200, /Sign in with RingCentral/);
    } finally {
      await stack.close();
    }
  });
});

describe('the emulator fault controls over HTTP (for the demo)', () => {
  it('queue a fault for the next N requests, list it, and clear it', async () => {
    const stack = await startStack();
    try {
      const emulator = request(stack.emulator.baseUrl);

      const queued = await emulator
        .post('/emulator/faults')
        .send({ endpoint: 'token', fault: { kind: 'status', status: 503 }, times: 2 })
        .expect(201);
      await emulator.post('/restapi/oauth/token').type('form').send('').expect(503);
      const listed = await emulator.get('/emulator/faults').expect(200);
      await emulator.delete('/emulator/faults').expect(204);
      await emulator.post('/restapi/oauth/token').type('form').send('').expect(401);

      expect(queued.body.token).toHaveLength(2);
      expect(listed.body.token).toHaveLength(1);
    } finally {
      await stack.close();
    }
  });

  it.each([
    [{ endpoint: 'nowhere', fault: { kind: 'drop' } }],
    [{ endpoint: 'token', fault: { kind: 'explode' } }],
    [{ endpoint: 'token', fault: { kind: 'delay', ms: -1 } }],
    [{ endpoint: 'token', fault: { kind: 'drop' }, times: 0 }],
  ])('refuse %j with 400', async (body) => {
    const stack = await startStack();
    try {
      await request(stack.emulator.baseUrl).post('/emulator/faults').send(body).expect(400);
    } finally {
      await stack.close();
    }
  });
});
