import { createLogger } from '../../src/logger';
import { createSessionBackend } from '../../src/session/session-backend';
import { decide, pathOf, signIn, startLogin, tokenRequests } from '../helpers/sign-in';
import { startStack, type Stack } from '../helpers/stack';
import { makeTestConfig } from '../helpers/test-config';

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

  it('exchanges the code server-side with Basic auth and a form body, then shows the dashboard', async () => {
    const authorizeUrl = await startLogin(stack.agent);
    const callbackUrl = await decide(authorizeUrl, 'approve', '101000002');

    const callback = await stack.agent.get(pathOf(callbackUrl)).expect(303);
    const dashboard = await stack.agent.get('/').expect(200);

    expect(callback.headers['location']).toBe('/');
    const [exchange] = tokenRequests(stack);
    expect(tokenRequests(stack)).toHaveLength(1);
    expect(exchange?.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(exchange?.authorization).toBe(
      `Basic ${Buffer.from('test-client:test-secret-with%2Bspecial%25chars%3A').toString('base64')}`,
    );
    const form = new URLSearchParams(exchange?.body);
    expect(form.get('grant_type')).toBe('authorization_code');
    expect(form.get('code')).toBe(callbackUrl.searchParams.get('code'));
    expect(form.get('redirect_uri')).toBe(authorizeUrl.searchParams.get('redirect_uri'));
    expect(dashboard.text).toContain('Signed in as Grace Hopper');
    expect(dashboard.text).toContain('grace.hopper@example.com');
    expect(dashboard.text).toContain('<dd>102</dd>');
    expect(dashboard.text).toContain('<dd>400000001</dd>');
    expect(dashboard.text).toContain('<li>ReadAccounts</li><li>ReadCallLog</li>');
    expect(dashboard.text).toMatch(/(59 min \d+ s|1 h 0 min) left/);
    expect(dashboard.text).toMatch(/6 d 23 h left/);
    expect(dashboard.text).toMatch(/<code data-field="accessTokenFingerprint">[A-Za-z0-9_-]{10}<\/code>/);
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

  it('writes the store once per sign-in, and not at all for a page view', async () => {
    await stack.close();
    // What the store receives, as Redis would see it: every write and delete, in order.
    const backend = createSessionBackend(makeTestConfig().session, createLogger('silent'));
    const received: string[] = [];
    const { store } = backend;
    for (const operation of ['set', 'destroy'] as const) {
      const original = store[operation].bind(store) as (...args: unknown[]) => void;
      store[operation] = ((...args: unknown[]) => {
        received.push(operation);
        original(...args);
      }) as never;
    }
    stack = await startStack({ sessionBackend: backend });

    await signIn(stack);
    const afterSignIn = [...received];
    await stack.agent.get('/').expect(200);

    expect(afterSignIn).toEqual(['set']);
    expect(received).toEqual(['set']);
  });
});
