// What the person sees around the flow: the demo banner, and the host name the app is opened at.
import request from 'supertest';
import { startStack, type Stack } from '../helpers/stack';
import { strongSessionSecret } from '../helpers/test-config';

describe('pages', () => {
  let stack: Stack;
  afterEach(() => stack.close());

  it('name the emulator on every page in demo mode, and never otherwise', async () => {
    stack = await startStack({ demo: true });
    const demoPages = [await stack.agent.get('/'), await stack.agent.get('/no/such/page')];
    await stack.close();
    stack = await startStack();
    const ordinary = await stack.agent.get('/');

    for (const page of demoPages) {
      expect(page.text).toContain('<strong>Demo mode.</strong>');
      expect(page.text).toMatch(/built-in RingCentral emulator at <code>http:\/\/127\.0\.0\.1:\d+<\/code>/);
    }
    expect(ordinary.text).not.toContain('Demo mode');
  });

  it("send a page asked for on another host name to BASE_URL's host before any sign-in starts", async () => {
    stack = await startStack();
    const port = new URL(stack.appUrl).port;
    const onOtherHost = (path: string) => request(stack.appUrl).get(path).set('Host', `localhost:${port}`);

    const login = await onOtherHost('/login?returnTo=%2Fapi%2Fcall-log').expect(302);
    const home = await onOtherHost('/').expect(302);
    await onOtherHost('/healthz').expect(200); // probes answer on any host name

    expect(login.headers['location']).toBe(`${stack.appUrl}/login?returnTo=%2Fapi%2Fcall-log`);
    expect(home.headers['location']).toBe(`${stack.appUrl}/`);
    expect(stack.emulator.requests).toHaveLength(0);
    expect(String(login.headers['set-cookie'] ?? '')).toBe('');
  });

  it('leave the host name alone in production, where the proxy decides it', async () => {
    stack = await startStack({
      env: { NODE_ENV: 'production', SESSION_SECRET: strongSessionSecret() },
    });
    const port = new URL(stack.appUrl).port;

    await request(stack.appUrl).get('/').set('Host', `localhost:${port}`).expect(200);
  });
});
