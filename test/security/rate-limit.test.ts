// Rate limiting of the sign-in routes per client address: 429 with Retry-After, and behind a trusted
// proxy the client's own address counts, not the proxy's or one the client made up.
import { startStack, type Stack } from '../helpers/stack';

describe('security: sign-in rate limit', () => {
  let stack: Stack | undefined;
  afterEach(() => stack?.close());

  it('answers 429 with Retry-After after SIGNIN_RATE_LIMIT_PER_MINUTE sign-ins from one address', async () => {
    stack = await startStack({ env: { SIGNIN_RATE_LIMIT_PER_MINUTE: '3' } });

    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await stack.newAgent().get('/login')).status);
    const limited = await stack.newAgent().get('/oauth/callback?state=x&code=y').accept('html');

    expect(statuses).toEqual([302, 302, 302]);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.text).toContain('Too many sign-in attempts');
    expect(stack.emulator.requests.filter((r) => r.path === '/restapi/oauth/token')).toHaveLength(0);
  });

  it('counts each client separately behind a trusted proxy (TRUST_PROXY)', async () => {
    stack = await startStack({ env: { SIGNIN_RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: 'loopback' } });
    const from = (ip: string) => stack!.newAgent().get('/login').set('X-Forwarded-For', ip);

    await from('203.0.113.1').expect(302);
    await from('203.0.113.1').expect(302);
    await from('203.0.113.1').expect(429);

    await from('203.0.113.2').expect(302);
  });

  it('ignores a made-up X-Forwarded-For when the proxy is not trusted', async () => {
    stack = await startStack({ env: { SIGNIN_RATE_LIMIT_PER_MINUTE: '2' } });
    const from = (ip: string) => stack!.newAgent().get('/login').set('X-Forwarded-For', ip);

    await from('203.0.113.1').expect(302);
    await from('203.0.113.2').expect(302);

    await from('203.0.113.3').expect(429);
  });
});
