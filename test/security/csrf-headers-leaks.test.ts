// Checklist §C (tokens stay on the server, no secrets in logs), §D1/§E1 (CSRF), §E5 and the security headers.
import { csrfTokenOf, signIn, tokenRequests } from '../helpers/sign-in';
import { startStack, type Stack } from '../helpers/stack';
import { TEST_CLIENT } from '../helpers/test-config';

describe('security: CSRF, headers and leaks', () => {
  let stack: Stack;

  beforeEach(async () => {
    stack = await startStack({ emulator: { sentinels: true } });
  });
  afterEach(() => stack.close());

  it.each(['/refresh', '/logout'])(
    'D1/E1: POST %s without the form token, or from a foreign Origin, is 403 and changes nothing',
    async (path) => {
      await signIn(stack);
      const csrf = await csrfTokenOf(stack.agent);

      const noToken = await stack.agent.post(path).type('form').send({});
      const foreign = await stack.agent
        .post(path)
        .set('Origin', 'https://evil.example')
        .type('form')
        .send({ _csrf: csrf });
      const crossSite = await stack.agent
        .post(path)
        .set('Sec-Fetch-Site', 'cross-site')
        .type('form')
        .send({ _csrf: csrf });

      expect([noToken.status, foreign.status, crossSite.status]).toEqual([403, 403, 403]);
      expect(tokenRequests(stack)).toHaveLength(1);
      expect(stack.emulator.requests.filter((r) => r.path === '/restapi/oauth/revoke')).toHaveLength(0);
      await stack.agent.get('/').expect(200, /Signed in as/);
    },
  );

  it('security headers: CSP without unsafe-inline/unsafe-eval for scripts, nosniff, framing, referrer, no X-Powered-By', async () => {
    const response = await stack.agent.get('/');

    const csp = String(response.headers['content-security-policy']);
    const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
    expect(scriptSrc).toBe("'self'");
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/object-src 'none'/);
    expect(csp).toMatch(/frame-ancestors 'self'/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('E5/A10: every page that carries sign-in state is Cache-Control: no-store', async () => {
    const { response: callback } = await signIn(stack);
    const pages = [
      await stack.newAgent().get('/login'),
      callback,
      await stack.agent.get('/'),
      await stack.agent.get('/oauth/callback?state=x&code=y'),
      await stack.agent.get('/no/such/page'),
    ];

    for (const page of pages) expect(page.headers['cache-control']).toBe('no-store');
  });

  it('C1/C3: tokens, the code, the verifier and the client secret never appear in a page, header, URL or log line', async () => {
    const { response: callback, callbackUrl, authorizeUrl } = await signIn(stack);
    const csrf = await csrfTokenOf(stack.agent);
    const pages = [
      callback,
      await stack.agent.get('/'),
      await stack.agent.post('/refresh').type('form').accept('json').send({ _csrf: csrf }),
      await stack.agent.get('/?refreshed=1'),
      await stack.agent.get('/oauth/callback?state=nope&code=CODE_SENTINEL_guess'),
      await stack.agent.post('/logout').type('form').send({ _csrf: csrf }),
    ];
    const verifier = new URLSearchParams(tokenRequests(stack)[0]?.body).get('code_verifier') ?? '';

    const code = callbackUrl.searchParams.get('code') ?? '';
    expect(code).toContain('SENTINEL');
    expect(stack.emulator.store.issuedTokens().every((token) => token.includes('SENTINEL'))).toBe(true);
    const seen = pages.map((page) => page.text + JSON.stringify(page.headers)).join('\n') + authorizeUrl.href;
    const logs = stack.logs();
    for (const text of [seen, logs]) {
      expect(text).not.toContain('SENTINEL');
      expect(text).not.toContain(verifier);
      expect(text).not.toContain(TEST_CLIENT.clientSecret);
    }
    expect(logs).not.toContain(code);
    expect(logs).not.toMatch(/rcapp\.sid=s%3A/);
  });
});
