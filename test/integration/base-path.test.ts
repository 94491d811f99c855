// BASE_URL with a path (the app served under /signin behind a proxy): routes, links, redirects, the cookie
// path and the redirect URI all follow it.
import { decide, pathOf } from '../helpers/sign-in';
import { startStack, type Stack } from '../helpers/stack';

describe('an app served under BASE_URL=http://host/signin', () => {
  let stack: Stack;

  beforeEach(async () => {
    stack = await startStack({ basePath: '/signin' });
  });
  afterEach(() => stack.close());

  it('serves its pages and links under /signin, and nothing at /', async () => {
    const landing = await stack.agent.get('/signin/').expect(200);
    await stack.agent.get('/').accept('html').expect(404);
    await stack.agent.get('/signin/assets/styles.css').expect(200);

    expect(landing.text).toContain('href="/signin/login"');
    expect(landing.text).toContain('href="/signin/assets/styles.css"');
  });

  it('signs in with the redirect URI, cookie path and redirects under /signin', async () => {
    const login = await stack.agent.get('/signin/login?returnTo=/signin/reports').expect(302);
    const authorizeUrl = new URL(login.headers['location'] as string);

    const callback = await stack.agent.get(pathOf(await decide(authorizeUrl, 'approve'))).expect(303);
    const dashboard = await stack.agent.get('/signin/').expect(200);

    expect(authorizeUrl.searchParams.get('redirect_uri')).toBe(`${stack.appUrl}/signin/oauth/callback`);
    expect(String(login.headers['set-cookie'])).toContain('Path=/signin');
    expect(callback.headers['location']).toBe('/signin/reports');
    expect(dashboard.text).toContain('action="/signin/logout"');
    expect(dashboard.text).toContain('action="/signin/refresh"');
  });

  it('refuses a returnTo outside /signin', async () => {
    await stack.agent.get('/signin/login?returnTo=/elsewhere').expect(400);
    await stack.agent.get('/signin/login?returnTo=/signinx').expect(400);
  });

  it('logs out to /signin/signed-out', async () => {
    const login = await stack.agent.get('/signin/login').expect(302);
    await stack.agent
      .get(pathOf(await decide(new URL(login.headers['location'] as string), 'approve')))
      .expect(303);
    const page = await stack.agent.get('/signin/').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';

    const logout = await stack.agent.post('/signin/logout').type('form').send({ _csrf: csrf }).expect(303);

    expect(logout.headers['location']).toBe('/signin/signed-out');
    await stack.agent.get('/signin/signed-out').expect(200, /You are signed out/);
    expect(String(logout.headers['set-cookie'])).toContain('Path=/signin');
  });

  it('keeps /healthz at the root for probes', async () => {
    await stack.agent.get('/healthz').expect(200);
  });
});
