import request from 'supertest';
import { decide, pathOf, startLogin, tokenRequests } from '../helpers/sign-in';
import { startStack, type Stack, type StackOptions } from '../helpers/stack';
import type { Fault } from '../../src/emulator/emulator-faults';

/** Starts a sign-in, makes the token endpoint misbehave, and returns the callback's answer. */
async function callbackWith(stack: Stack, fault?: Fault) {
  const callbackUrl = await decide(await startLogin(stack.agent), 'approve');
  if (fault !== undefined) stack.emulator.faults.failNext('token', fault);
  return stack.agent.get(pathOf(callbackUrl)).accept('html');
}

describe('when RingCentral misbehaves during the code exchange', () => {
  let stack: Stack;

  beforeEach(async () => {
    stack = await startStack({ env: { RINGCENTRAL_TIMEOUT_MS: '500' } });
  });
  afterEach(() => stack.close());

  it('shows "RingCentral is unavailable" with 502 on a 5xx answer, and no details leak', async () => {
    const page = await callbackWith(stack, {
      kind: 'status',
      status: 503,
      body: '<html>upstream error</html>',
    });

    expect(page.status).toBe(502);
    expect(page.text).toContain('RingCentral is unavailable');
    expect(page.text).not.toContain('upstream error');
  });

  it('shows 502 when the connection is dropped', async () => {
    const page = await callbackWith(stack, { kind: 'drop' });

    expect(page.status).toBe(502);
    expect(page.text).toContain('PROVIDER_UNAVAILABLE');
  });

  it('passes on a 429 with the wait time from Retry-After', async () => {
    const page = await callbackWith(stack, {
      kind: 'status',
      status: 429,
      headers: { 'Retry-After': '42' },
      body: {
        errorCode: 'CMN-301',
        message: 'Request rate exceeded',
        errors: [{ errorCode: 'CMN-301', message: 'Request rate exceeded' }],
      },
    });

    expect(page.status).toBe(429);
    expect(page.headers['retry-after']).toBe('42');
    expect(page.text).toContain('42 seconds');
  });

  it('treats a token answer without access_token as a provider error (502)', async () => {
    const page = await callbackWith(stack, {
      kind: 'status',
      status: 200,
      body: { token_type: 'bearer', expires_in: 3600 },
    });

    expect(page.status).toBe(502);
    await stack.agent.get('/').expect(200, /Sign in with RingCentral/);
  });

  it('answers JSON clients with a JSON error body', async () => {
    const callbackUrl = await decide(await startLogin(stack.agent), 'deny');

    const response = await stack.agent.get(pathOf(callbackUrl)).accept('json').expect(403);

    expect(response.body).toEqual({
      error: {
        code: 'AUTHORIZATION_DENIED',
        message: expect.any(String),
        detail: expect.any(String),
        referenceId: response.headers['x-request-id'],
      },
    });
  });
});

describe('when the app is set up wrongly at RingCentral', () => {
  async function misconfigured(options: StackOptions) {
    const stack = await startStack(options);
    try {
      const page = await callbackWith(stack);
      return { page, tokenCalls: tokenRequests(stack).length };
    } finally {
      await stack.close();
    }
  }

  it('names invalid_client (wrong client secret) on a 500 page in development', async () => {
    const { page } = await misconfigured({ client: { clientSecret: 'the-real-secret-is-different' } });

    expect(page.status).toBe(500);
    expect(page.text).toContain('invalid_client');
    expect(page.text).toContain('OAU-146');
    expect(page.text).toContain('RINGCENTRAL_CLIENT_SECRET');
  });

  it('explains unauthorized_client at /authorize (app not set up for the authorization code flow)', async () => {
    const stack = await startStack({ client: { grants: ['refresh_token'] } });
    try {
      const authorizeUrl = await startLogin(stack.agent);
      const back = await request(authorizeUrl.origin)
        .get(authorizeUrl.pathname + authorizeUrl.search)
        .expect(302);

      const page = await stack.agent.get(pathOf(new URL(back.headers['location'] as string))).accept('html');

      expect(page.status).toBe(400);
      expect(page.text).toContain('unauthorized_client');
      expect(page.text).toContain('3-legged OAuth flow authorization code');
      expect(tokenRequests(stack)).toHaveLength(0);
    } finally {
      await stack.close();
    }
  });

  it('names OAU-251 "Unauthorized for this grant type" from the token endpoint on a 500 page', async () => {
    const stack = await startStack();
    try {
      const page = await callbackWith(stack, {
        kind: 'status',
        status: 400,
        body: {
          error: 'unauthorized_client',
          errors: [{ errorCode: 'OAU-251', message: 'Unauthorized for this grant type' }],
          error_description: 'Unauthorized for this grant type',
        },
      });

      expect(page.status).toBe(500);
      expect(page.text).toContain('OAU-251');
      expect(page.text).toContain('Unauthorized for this grant type');
    } finally {
      await stack.close();
    }
  });
});
