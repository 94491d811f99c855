// For every catalog entry the flow can produce: drive the flow into it against the emulator and check the
// page the person sees (status, title, message) and, in development, the fix shown to the developer.
import { Store } from 'express-session';
import request from 'supertest';
import { FLOW_ERRORS, PROVIDER_ERRORS, type CatalogEntry } from '../../src/errors/error-catalog';
import type { Fault } from '../../src/emulator/emulator-faults';
import { csrfTokenOf, decide, pathOf, signIn, startLogin } from '../helpers/sign-in';
import { startStack, type Stack, type StackOptions } from '../helpers/stack';

type Page = Awaited<ReturnType<Stack['agent']['get']>>;

/** What express-session sees of a Redis that is down: every operation fails. */
class DownStore extends Store {
  override get(_sid: string, callback: (error: unknown) => void) {
    callback(new Error('connect ECONNREFUSED'));
  }
  override set(_sid: string, _data: unknown, callback?: (error?: unknown) => void) {
    callback?.(new Error('connect ECONNREFUSED'));
  }
  override destroy(_sid: string, callback?: (error?: unknown) => void) {
    callback?.(new Error('connect ECONNREFUSED'));
  }
}

interface Scenario {
  readonly status: number;
  readonly options?: StackOptions;
  drive(stack: Stack): Promise<Page>;
}

const html = (agent: Stack['agent'], path: string) => agent.get(path).accept('html');
const body = (error: string, errorCode?: string, message = `${errorCode ?? error} from RingCentral`) => ({
  error,
  ...(errorCode === undefined ? {} : { errors: [{ errorCode, message }] }),
  error_description: message,
});
const apiBody = (top: string, errorCode: string, message: string) => ({
  errorCode: top,
  message,
  errors: [{ errorCode, message }],
});

/** Sign-in up to the callback, with RingCentral's token (or extension) endpoint answering `fault`. */
function callbackWhen(endpoint: 'token' | 'extension', fault: Fault) {
  return async (stack: Stack) => {
    const callbackUrl = await decide(await startLogin(stack.agent), 'approve');
    stack.emulator.faults.failNext(endpoint, fault);
    return html(stack.agent, pathOf(callbackUrl));
  };
}
const tokenAnswers = (status: number, answer: unknown) =>
  callbackWhen('token', { kind: 'status', status, body: answer });

/** Signed in, then POST /refresh. */
async function refreshPage(stack: Stack): Promise<Page> {
  const csrf = await csrfTokenOf(stack.agent);
  return stack.agent.post('/refresh').type('form').send({ _csrf: csrf }).accept('html');
}

const SCENARIOS: Record<string, Scenario> = {
  NOT_FOUND: { status: 404, drive: (s) => html(s.agent, '/no/such/page') },
  METHOD_NOT_ALLOWED: { status: 405, drive: (s) => html(s.agent, '/logout') },
  REQUEST_INVALID: {
    status: 400,
    drive: async (s) => {
      const url = await decide(await startLogin(s.agent), 'approve');
      url.searchParams.append('code', 'twice');
      return html(s.agent, pathOf(url));
    },
  },
  REQUEST_TOO_LARGE: {
    status: 413,
    drive: (s) =>
      s.agent
        .post('/logout')
        .type('form')
        .send(`_csrf=${'x'.repeat(5_000)}`)
        .accept('html'),
  },
  REQUEST_UNSUPPORTED: {
    status: 415,
    drive: (s) =>
      s.agent
        .post('/logout')
        .set('Content-Type', 'application/x-www-form-urlencoded; charset=utf-16')
        .send('_csrf=x')
        .accept('html'),
  },
  RETURN_TO_INVALID: { status: 400, drive: (s) => html(s.agent, '/login?returnTo=//evil.example') },
  LOGIN_STATE_MISSING: {
    status: 400,
    drive: async (s) => {
      const url = await decide(await startLogin(s.agent), 'approve');
      url.searchParams.delete('state');
      return html(s.agent, pathOf(url));
    },
  },
  LOGIN_STATE_MISMATCH: {
    status: 400,
    drive: async (s) => {
      const url = await decide(await startLogin(s.agent), 'approve');
      url.searchParams.set('state', 'not-the-state-this-session-started-with');
      return html(s.agent, pathOf(url));
    },
  },
  LOGIN_SESSION_LOST: {
    status: 400,
    drive: async (s) => html(s.newAgent(), pathOf(await decide(await startLogin(s.agent), 'approve'))),
  },
  LOGIN_EXPIRED: {
    status: 400,
    drive: async (s) => {
      const url = await decide(await startLogin(s.agent), 'approve');
      s.clock.advance(11 * 60_000);
      return html(s.agent, pathOf(url));
    },
  },
  AUTHORIZATION_DENIED: {
    status: 403,
    drive: async (s) => html(s.agent, pathOf(await decide(await startLogin(s.agent), 'deny'))),
  },
  AUTHORIZATION_FAILED: {
    status: 400,
    drive: async (s) => {
      const state = (await startLogin(s.agent)).searchParams.get('state') ?? '';
      return html(s.agent, `/oauth/callback?error=server_error&error_description=Try+later&state=${state}`);
    },
  },
  CSRF_INVALID: {
    status: 403,
    drive: async (s) => {
      await signIn(s);
      return s.agent.post('/logout').type('form').send({ _csrf: 'stale' }).accept('html');
    },
  },
  TOKEN_REJECTED: { status: 400, drive: tokenAnswers(400, { error: 'invalid_grant' }) },
  ACCESS_TOKEN_REJECTED: {
    status: 401,
    drive: callbackWhen('extension', {
      kind: 'status',
      status: 401,
      body: apiBody('InvalidToken', 'OAU-999', 'A 401 with an error code the catalog does not know'),
    }),
  },
  SESSION_ENDED: {
    status: 401,
    options: { client: { issueRefreshTokens: false } },
    drive: async (s) => (await signIn(s), refreshPage(s)),
  },
  CLIENT_MISCONFIGURED: { status: 500, drive: tokenAnswers(400, body('invalid_scope')) },
  PROVIDER_RATE_LIMITED: {
    status: 429,
    drive: callbackWhen('token', { kind: 'status', status: 429, headers: { 'Retry-After': '30' } }),
  },
  PROVIDER_UNAVAILABLE: { status: 502, drive: tokenAnswers(503, 'Service Unavailable') },
  PROVIDER_TIMEOUT: {
    status: 504,
    options: { env: { RINGCENTRAL_TIMEOUT_MS: '300' } },
    drive: callbackWhen('token', { kind: 'delay', ms: 2_000 }),
  },
  STORE_UNAVAILABLE: {
    status: 503,
    options: {
      sessionBackend: {
        store: new DownStore(),
        lock: { acquire: () => Promise.resolve(undefined) },
        onceOnly: { claim: () => Promise.reject(new Error('connect ECONNREFUSED')) },
        isReady: () => Promise.resolve(false),
        close: () => Promise.resolve(),
      },
    },
    drive: (s) => html(s.agent, '/login'),
  },
  SIGNIN_RATE_LIMITED: {
    status: 429,
    options: { env: { SIGNIN_RATE_LIMIT_PER_MINUTE: '2' } },
    drive: async (s) => {
      await s.agent.get('/login');
      await s.agent.get('/login');
      return html(s.agent, '/login');
    },
  },
  LOGIN_NOT_A_NAVIGATION: {
    status: 403,
    drive: (s) => s.agent.get('/login').set('Sec-Fetch-Dest', 'image').accept('html'),
  },
  REFRESH_RATE_LIMITED: {
    status: 429,
    drive: async (s) => {
      await signIn(s);
      for (let i = 0; i < 3; i += 1) await refreshPage(s);
      return refreshPage(s);
    },
  },
  PROVIDER_RESPONSE_INVALID: { status: 502, drive: tokenAnswers(200, '<html>not json</html>') },

  // RingCentral's answers. Where the emulator can be set up to produce them, it is; otherwise it is told
  // to answer exactly as RingCentral documents (ringcentral-oauth.md §5b).
  'OAU-106': {
    status: 400,
    drive: tokenAnswers(400, body('invalid_grant', 'OAU-106', 'Invalid authorization code')),
  },
  'OAU-108': {
    status: 400,
    drive: async (s) => {
      const url = await decide(await startLogin(s.agent), 'approve');
      s.clock.advance(61_000);
      return html(s.agent, pathOf(url));
    },
  },
  'OAU-109': {
    status: 400,
    drive: tokenAnswers(400, body('invalid_grant', 'OAU-109', 'Redirect URIs do not match')),
  },
  invalid_redirect_uri: { status: 500, drive: tokenAnswers(400, body('invalid_redirect_uri')) },
  'OAU-110': { status: 400, drive: tokenAnswers(400, body('invalid_grant', 'OAU-110')) },
  'OAU-111': { status: 500, drive: tokenAnswers(400, body('invalid_request', 'OAU-111')) },
  'OAU-113': { status: 500, drive: tokenAnswers(403, body('invalid_client', 'OAU-113')) },
  'OAU-123': {
    status: 500,
    drive: tokenAnswers(401, body('invalid_client', 'OAU-123', 'Client authentication is required')),
  },
  'OAU-146': {
    status: 500,
    options: { client: { clientSecret: 'not-what-the-app-has' } },
    drive: callbackAfterApprove,
  },
  'OAU-153': { status: 500, drive: tokenAnswers(401, body('invalid_client', 'OAU-153', 'Invalid client: ')) },
  invalid_client: { status: 500, drive: tokenAnswers(400, body('invalid_client')) },
  'OAU-250': {
    status: 500,
    drive: tokenAnswers(400, body('invalid_request', 'OAU-250', 'Unsupported grant type')),
  },
  unsupported_grant_type: { status: 500, drive: tokenAnswers(400, body('unsupported_grant_type')) },
  'OAU-251': {
    status: 500,
    drive: tokenAnswers(400, body('unauthorized_client', 'OAU-251', 'Unauthorized for this grant type')),
  },
  unauthorized_client: {
    status: 400,
    options: { client: { grants: ['refresh_token'] } },
    drive: async (s) => {
      const authorizeUrl = await startLogin(s.agent);
      const back = await request(authorizeUrl.origin).get(pathOf(authorizeUrl)).expect(302);
      return html(s.agent, pathOf(new URL(back.headers['location'] as string)));
    },
  },
  'OAU-125': {
    status: 500,
    drive: tokenAnswers(
      401,
      body('unauthorized_client', 'OAU-125', 'Grant type is not allowed for application.'),
    ),
  },
  'OAU-127': {
    status: 500,
    drive: tokenAnswers(401, body('invalid_client', 'OAU-127', 'Invalid application release.')),
  },
  'OAU-150': { status: 500, drive: tokenAnswers(400, body('invalid_request', 'OAU-150')) },
  'OAU-165': { status: 500, drive: tokenAnswers(400, body('invalid_client', 'OAU-165')) },
  'OAU-134': {
    status: 401,
    drive: callbackWhen('extension', {
      kind: 'status',
      status: 401,
      body: apiBody('InvalidAuthorization', 'OAU-134', 'Invalid Authorization header.'),
    }),
  },
  'CMN-302': {
    status: 429,
    drive: tokenAnswers(429, apiBody('CMN-302', 'CMN-302', 'Request rate exceeded')),
  },
  'CMN-304': {
    status: 429,
    drive: tokenAnswers(429, apiBody('CMN-304', 'CMN-304', 'Duplicate concurrent request. Try again later')),
  },
  'CMN-310': {
    status: 429,
    drive: tokenAnswers(429, apiBody('CMN-310', 'CMN-310', 'Global request rate exceeded')),
  },
  'CMN-105': { status: 500, drive: tokenAnswers(400, body('invalid_request', 'CMN-105')) },
  invalid_request: { status: 500, drive: tokenAnswers(400, body('invalid_request')) },
  'OAU-149': {
    status: 401,
    drive: callbackWhen('extension', {
      kind: 'status',
      status: 401,
      body: apiBody('TokenInvalid', 'OAU-149', 'Unparseable access token'),
    }),
  },
  'OAU-128': {
    status: 401,
    drive: callbackWhen('extension', {
      kind: 'status',
      status: 401,
      body: apiBody('TokenExpired', 'OAU-128', 'Access token expired'),
    }),
  },
  'OAU-129': {
    status: 401,
    drive: callbackWhen('extension', {
      kind: 'status',
      status: 401,
      body: apiBody('TokenInvalid', 'OAU-129', 'Access token corrupted'),
    }),
  },
  'OAU-213': {
    status: 401,
    drive: async (s) => {
      await signIn(s);
      for (const token of s.emulator.store.issuedTokens()) s.emulator.store.revoke(token);
      return refreshPage(s);
    },
  },
  'OAU-210': {
    status: 401,
    drive: async (s) => {
      await signIn(s);
      s.emulator.faults.failNext('token', {
        kind: 'status',
        status: 400,
        body: body('invalid_grant', 'OAU-210', 'Token expired'),
      });
      return refreshPage(s);
    },
  },
  'CMN-408': {
    status: 500,
    drive: callbackWhen('extension', {
      kind: 'status',
      status: 403,
      body: apiBody(
        'CMN-408',
        'CMN-408',
        'In order to call this API endpoint, application needs to have [ReadAccounts] permission',
      ),
    }),
  },
  API_PERMISSION_MISSING: {
    status: 403,
    options: { client: { permissions: ['ReadAccounts'] } },
    drive: async (s) => {
      await signIn(s);
      return html(s.agent, '/api/call-log');
    },
  },
  API_RATE_LIMITED: {
    status: 429,
    options: { emulator: { rateLimits: { heavy: 1 } } },
    drive: async (s) => {
      await signIn(s);
      await html(s.agent, '/api/call-log').expect(200);
      return html(s.agent, '/api/call-log');
    },
  },
  'CMN-301': {
    status: 429,
    options: { emulator: { rateLimits: { auth: 1 } } },
    drive: callbackAfterApprove,
  },
};

async function callbackAfterApprove(stack: Stack): Promise<Page> {
  return html(stack.agent, pathOf(await decide(await startLogin(stack.agent), 'approve')));
}

/** Entries that never reach an app page, and why: each is still in the README and, where it applies, the doctor. */
const NOT_AN_APP_PAGE: Record<string, string> = {
  CONFIG_INVALID: 'a start-up error: the app does not start (tested in test/unit/config.test.ts)',
  INTERNAL: 'a bug in the app; no flow produces it on purpose',
  SIGN_IN_REQUIRED:
    'JSON only: a browser is sent to sign in instead (test/integration/api-pages.test.ts, "signed out")',
  'OAU-102': "shown on RingCentral's own sign-in page",
  'OAU-105': "shown on RingCentral's own sign-in page",
  'OAU-119': "shown on RingCentral's own sign-in page",
  'OAU-141': "shown on RingCentral's own sign-in page",
  'OAU-142': "shown on RingCentral's own sign-in page",
  'OAU-147': "shown on RingCentral's own sign-in page",
  'OAU-148': "shown on RingCentral's own sign-in page",
  'OAU-164':
    'at logout: the user is signed out anyway and the failure is logged (test/integration/logout.test.ts)',
};

const escapeHtml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&#34;')
    .replace(/'/g, '&#39;');
/** A catalog text as the page shows it: its README code spans (`npm run doctor`) as <code>, no backticks. */
const asShown = (text: string) =>
  escapeHtml(text).replace(/`([^`]*)`/g, (_match, code: string) => `<code>${code}</code>`);

describe('error pages, one per catalog entry', () => {
  const catalog: Record<string, CatalogEntry> = { ...FLOW_ERRORS, ...PROVIDER_ERRORS };

  it('has a scenario (or a stated reason) for every catalog entry', () => {
    const covered = [...Object.keys(SCENARIOS), ...Object.keys(NOT_AN_APP_PAGE)].sort();

    expect(covered).toEqual(Object.keys(catalog).sort());
  });

  describe.each(Object.entries(SCENARIOS))('%s', (key, scenario) => {
    let stack: Stack;

    beforeEach(async () => {
      stack = await startStack(scenario.options);
    });
    afterEach(() => stack.close());

    it('shows its title, message and fix with the fitting status', async () => {
      const entry = catalog[key] as CatalogEntry;

      const page = await scenario.drive(stack);

      expect(page.status).toBe(scenario.status);
      expect(page.text).toContain(`<h1 id="error-title">${escapeHtml(entry.title)}</h1>`);
      expect(page.text).toContain(asShown(entry.userMessage));
      expect(page.text).toContain(asShown(entry.fix));
      expect(page.text).not.toContain('`');
      expect(page.text).toContain(`catalog entry <code>${escapeHtml(key)}</code>`);
      expect(page.text).toContain(`href="${entry.docs}"`);
    });
  });
});

describe('error pages in production', () => {
  it('show the user part and a reference id that matches the log line, and nothing for developers', async () => {
    const stack = await startStack({
      env: { NODE_ENV: 'production' },
      client: { clientSecret: 'not-what-the-app-has' },
    });
    try {
      const page = await callbackAfterApprove(stack);

      const referenceId = page.headers['x-request-id'] as string;
      expect(page.status).toBe(500);
      expect(page.text).toContain(escapeHtml(PROVIDER_ERRORS['OAU-146']?.userMessage ?? '?'));
      expect(page.text).toContain(`reference <code>${referenceId}</code>`);
      expect(page.text).not.toContain('For developers');
      expect(page.text).not.toContain('OAU-146');
      const logLine = stack
        .logs()
        .split('\n')
        .find((line) => line.includes(`"referenceId":"${referenceId}"`));
      expect(logLine).toContain('"catalogKey":"OAU-146"');
    } finally {
      await stack.close();
    }
  });
});
