import { startLogin } from '../helpers/sign-in';
import { startStack, type Stack } from '../helpers/stack';

describe('GET /login', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it.each([
    ['//evil.example/path'],
    ['/\\evil.example'],
    ['https://evil.example/'],
    ['javascript:alert(1)'],
    ['/%2F%2Fevil.example'],
    ['/%5Cevil.example'],
    ['/ok\r\nLocation: https://evil.example'],
    ['\\\\evil.example'],
    ['evil.example'],
    ['/' + 'a'.repeat(3000)],
    ['/\tevil'],
  ])('rejects returnTo=%j with 400 and starts no sign-in', async (returnTo) => {
    const agent = stack.newAgent();

    const page = await agent.get(`/login?returnTo=${encodeURIComponent(returnTo)}`).accept('html');

    expect(page.status).toBe(400);
    expect(page.headers['location']).toBeUndefined();
    expect(page.headers['set-cookie']).toBeUndefined();
  });

  it('rejects a repeated returnTo with 400', async () => {
    await stack.newAgent().get('/login?returnTo=/a&returnTo=/b').expect(400);
  });

  it('ignores parameters that try to choose the server or redirect URI', async () => {
    const plain = await startLogin(stack.newAgent());

    const tampered = await startLogin(
      stack.newAgent(),
      '?server=https://evil.example&redirect_uri=https://evil.example/cb&client_id=evil',
    );

    expect(tampered.origin).toBe(plain.origin);
    expect(tampered.searchParams.get('redirect_uri')).toBe(plain.searchParams.get('redirect_uri'));
    expect(tampered.searchParams.get('client_id')).toBe(plain.searchParams.get('client_id'));
  });

  it('builds redirect_uri from BASE_URL, never from Host or X-Forwarded-* headers', async () => {
    const response = await stack
      .newAgent()
      .get('/login')
      .set('Host', 'evil.example')
      .set('X-Forwarded-Host', 'evil.example')
      .set('X-Forwarded-Proto', 'https')
      .set('Forwarded', 'host=evil.example;proto=https')
      .expect(302);

    const location = new URL(response.headers['location'] as string);
    expect(location.searchParams.get('redirect_uri')).toBe(`${stack.appUrl}/oauth/callback`);
  });

  it('makes a different state and code challenge for every sign-in', async () => {
    const urls = await Promise.all(Array.from({ length: 50 }, () => startLogin(stack.newAgent())));

    expect(new Set(urls.map((u) => u.searchParams.get('state'))).size).toBe(50);
    expect(new Set(urls.map((u) => u.searchParams.get('code_challenge'))).size).toBe(50);
  });

  it('answers POST with 405: the browser is sent to RingCentral by a link, not a form post', async () => {
    await stack.newAgent().post('/login').expect(405);
  });
});
