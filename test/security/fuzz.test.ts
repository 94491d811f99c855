// Property-based: random query strings, headers and cookies thrown at the flow's routes never get a 5xx,
// never make a token call without a valid state, and never stop the process.
import fc from 'fast-check';
import request from 'supertest';
import { startStack, type Stack } from '../helpers/stack';

const printable = fc.string({
  unit: fc.constantFrom(...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i))),
  maxLength: 300,
});
const paramName = fc.oneof(
  fc.constantFrom(
    'state',
    'code',
    'error',
    'error_description',
    'returnTo',
    'expires_in',
    'state[]',
    '__proto__',
  ),
  printable,
);
const query = fc
  .array(fc.tuple(paramName, printable), { maxLength: 6 })
  .map((pairs) => new URLSearchParams(pairs).toString());
const headers = fc.record(
  {
    cookie: fc.oneof(
      printable,
      printable.map((value) => `rcapp.sid=${value}`),
    ),
    origin: fc.oneof(printable, fc.constantFrom('null', 'https://evil.example')),
    'x-forwarded-for': printable,
    'x-forwarded-host': printable,
    'sec-fetch-site': fc.constantFrom('same-origin', 'cross-site', 'none', 'same-site'),
  },
  { requiredKeys: [] },
);
const route = fc.constantFrom(
  { method: 'get', path: '/login' },
  { method: 'get', path: '/oauth/callback' },
  { method: 'post', path: '/refresh' },
  { method: 'post', path: '/logout' },
) as fc.Arbitrary<{ method: 'get' | 'post'; path: string }>;

describe('security: random input at /login, /oauth/callback, /refresh and /logout', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('never answers 5xx, never calls the token endpoint, and the app stays up', async () => {
    await fc.assert(
      fc.asyncProperty(route, query, headers, printable, async ({ method, path }, search, sent, body) => {
        const call = request(stack.appUrl)[method](`${path}${search === '' ? '' : `?${search}`}`);
        for (const [name, value] of Object.entries(sent)) call.set(name, value);
        const response = await (method === 'post' ? call.type('form').send(body) : call);

        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );

    expect(stack.emulator.requests.filter((r) => r.path === '/restapi/oauth/token')).toHaveLength(0);
    await request(stack.appUrl).get('/healthz').expect(200);
  });
});
