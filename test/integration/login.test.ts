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

  it('makes a different state and code challenge for every sign-in', async () => {
    const urls = await Promise.all(Array.from({ length: 50 }, () => startLogin(stack.newAgent())));

    expect(new Set(urls.map((u) => u.searchParams.get('state'))).size).toBe(50);
    expect(new Set(urls.map((u) => u.searchParams.get('code_challenge'))).size).toBe(50);
  });
});
