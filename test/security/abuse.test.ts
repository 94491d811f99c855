// Method and content-type abuse, oversized input, EJS option injection: clear 4xx answers, never a crash.
import request from 'supertest';
import { csrfTokenOf, signIn } from '../helpers/sign-in';
import { startStack, type Stack } from '../helpers/stack';

describe('security: abuse of methods, content types and sizes', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it.each([
    ['POST', '/login', 'GET, HEAD'],
    ['PUT', '/login', 'GET, HEAD'],
    ['OPTIONS', '/login', 'GET, HEAD'],
    ['POST', '/oauth/callback', 'GET, HEAD'],
    ['DELETE', '/oauth/callback', 'GET, HEAD'],
    ['GET', '/refresh', 'POST'],
    ['PATCH', '/refresh', 'POST'],
    ['GET', '/logout', 'POST'],
  ] as const)('%s %s answers 405 with Allow: %s and changes nothing', async (method, path, allow) => {
    const agent = stack.newAgent();
    await signIn(stack, { agent });

    const response = await agent[method.toLowerCase() as 'post'](path);

    expect(response.status).toBe(405);
    expect(response.headers['allow']).toBe(allow);
    await agent.get('/').expect(200, /Signed in as/);
  });

  it('rejects a JSON body on POST /logout with 403 (no form token), not a 5xx', async () => {
    await signIn(stack);
    const csrf = await csrfTokenOf(stack.agent);

    const response = await stack.agent
      .post('/logout')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ _csrf: csrf }));

    expect(response.status).toBe(403);
    await stack.agent.get('/').expect(200, /Signed in as/);
  });

  it('rejects an oversized form body with 413 before anything else runs', async () => {
    const agent = stack.newAgent();
    await signIn(stack, { agent });

    const big = await agent
      .post('/logout')
      .type('form')
      .send(`_csrf=${'a'.repeat(50_000)}`);

    expect(big.status).toBe(413);
    await agent.get('/').expect(200, /Signed in as/);
  });

  it('rejects an oversized query string with a 4xx', async () => {
    const response = await request(stack.appUrl).get(`/login?returnTo=/${'a'.repeat(9000)}`);

    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });

  it('answers oversized headers with 431 and keeps serving', async () => {
    const response = await request(stack.appUrl).get('/').set('X-Big', 'a'.repeat(20_000));

    expect(response.status).toBe(431);
    await request(stack.appUrl).get('/healthz').expect(200);
  });

  it('renders EJS option injection through the query string inert', async () => {
    const response = await request(stack.appUrl).get(
      '/?settings[view options][outputFunctionName]=x;process.exit(1);//&settings%5Bview%20options%5D%5Bclient%5D=1',
    );

    expect(response.status).toBe(200);
    expect(response.text).toContain('Sign in with RingCentral');
    await request(stack.appUrl).get('/healthz').expect(200);
  });
});
