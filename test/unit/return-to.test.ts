import { parseReturnTo } from '../../src/auth/return-to';

describe('parseReturnTo', () => {
  it.each(['/', '/dashboard', '/reports?month=11&year=2026', '/a/b#section', '/path%20with%20space'])(
    'accepts the same-origin path %j',
    (path) => {
      expect(parseReturnTo(path)).toBe(path);
    },
  );

  it.each([
    '',
    'dashboard',
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '/foo\\bar',
    'https://evil.example',
    'javascript:alert(1)',
    'data:text/html,x',
    '/%2f%2fevil.example',
    '/%5Cevil.example',
    '/a\r\nSet-Cookie: x',
    '/\tevil',
    '/é',
    `/${'a'.repeat(600)}`,
  ])('rejects %j', (path) => {
    expect(parseReturnTo(path)).toBeUndefined();
  });
});

describe('parseReturnTo under a base path', () => {
  it.each(['/signin', '/signin/', '/signin/reports', '/signin?x=1'])('accepts %j under /signin', (path) => {
    expect(parseReturnTo(path, '/signin')).toBe(path);
  });

  it.each(['/', '/elsewhere', '/signinx', '/sign'])('rejects %j outside /signin', (path) => {
    expect(parseReturnTo(path, '/signin')).toBeUndefined();
  });
});

describe("parseReturnTo and the sign-in flow's own paths", () => {
  const flow = ['/login', '/oauth/callback', '/refresh', '/logout'];

  it.each([
    '/signin/login',
    '/signin/LOGIN/',
    '/signin/./login?x',
    '/signin/%6cogin',
    '/signin/oauth/callback',
  ])('rejects %j, which would start the flow again', (path) => {
    expect(parseReturnTo(path, '/signin', flow)).toBeUndefined();
  });

  it.each(['/signin/', '/signin/login-help', '/signin/reports/logout-history'])(
    'accepts the page %j',
    (path) => {
      expect(parseReturnTo(path, '/signin', flow)).toBe(path);
    },
  );
});
