// The emulator as a RingCentral client sees it: every rule of ringcentral-oauth.md it reproduces.
import { createHash } from 'node:crypto';
import request from 'supertest';
import { RELAXED_RATE_LIMITS } from '../../src/emulator/emulator-rate-limit';
import { startEmulator, type RunningEmulator } from '../../src/emulator/start-emulator';

const CLIENT = { clientId: 'app', clientSecret: 'secret' };
const REDIRECT = 'http://localhost:3000/oauth/callback';
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');
/** Low, so a test reaches it; the default is 10,000. */
const PRUNE_ABOVE = 20;
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('the RingCentral emulator', () => {
  let emulator: RunningEmulator;
  let now: number;
  const http = () => request(emulator.baseUrl);

  beforeEach(async () => {
    now = Date.now();
    emulator = await startEmulator({
      clients: [
        {
          ...CLIENT,
          redirectUris: [REDIRECT],
          grants: ['authorization_code', 'refresh_token'],
          issueRefreshTokens: true,
          permissions: ['ReadAccounts', 'ReadCallLog'],
        },
        { clientId: 'jwt-only', clientSecret: 's', redirectUris: [], grants: ['refresh_token'] },
        { clientId: 'no-code-grant', clientSecret: 's', redirectUris: [REDIRECT], grants: ['refresh_token'] },
      ],
      autoApproveUserIds: ['101000001'],
      now: () => now,
      pruneAbove: PRUNE_ABOVE,
      // Most tests here make more token calls than RingCentral's Auth limit allows; its own tests set it.
      rateLimits: RELAXED_RATE_LIMITS,
    });
  });
  afterEach(() => emulator.close());

  function authorize(query: Record<string, string>) {
    const params = new URLSearchParams({
      response_type: 'code',
      client_id: CLIENT.clientId,
      redirect_uri: REDIRECT,
      state: 'xyz',
      code_challenge: CHALLENGE,
      code_challenge_method: 'S256',
      ...query,
    });
    return http().get(`/restapi/oauth/authorize?${params.toString()}`);
  }

  async function code(): Promise<string> {
    const answer = await authorize({});
    return new URL(answer.headers['location'] as string).searchParams.get('code') ?? '';
  }

  function token(form: Record<string, string>, auth = basic(CLIENT.clientId, CLIENT.clientSecret)) {
    return http()
      .post('/restapi/oauth/token')
      .set('Authorization', auth)
      .type('form')
      .send(new URLSearchParams(form).toString());
  }

  /** The code exchange as the app sends it; pass `undefined` to leave a field out. */
  function exchange(codeValue: string, overrides: Record<string, string | undefined> = {}) {
    const form = {
      grant_type: 'authorization_code',
      code: codeValue,
      redirect_uri: REDIRECT,
      code_verifier: VERIFIER,
      ...overrides,
    };
    return token(
      Object.fromEntries(
        Object.entries(form).filter((entry): entry is [string, string] => entry[1] !== undefined),
      ),
    );
  }

  async function signedIn() {
    const answer = await exchange(await code()).expect(200);
    return answer.body as { access_token: string; refresh_token: string };
  }

  describe('GET /restapi/oauth/authorize', () => {
    it('redirects back with code, state and expires_in', async () => {
      const answer = await authorize({}).then((r) => new URL(r.headers['location'] as string));

      expect(answer.origin + answer.pathname).toBe(REDIRECT);
      expect(answer.searchParams.get('state')).toBe('xyz');
      expect(answer.searchParams.get('expires_in')).toBe('60');
      expect(answer.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });

    it('tolerates the empty parameters the official SDK sends', async () => {
      const answer = await authorize({
        state: '',
        brand_id: '',
        display: '',
        prompt: '',
        ui_options: '',
        ui_locales: '',
        localeId: '',
      });

      expect(answer.status).toBe(302);
      expect(new URL(answer.headers['location'] as string).searchParams.has('state')).toBe(false);
    });

    it('shows an error (not a redirect) for an unknown client or an unregistered redirect URI', async () => {
      await authorize({ client_id: 'nobody' }).expect(400, /OAU-153/);
      await authorize({ redirect_uri: 'http://localhost:3000/other' }).expect(400, /OAU-109/);
    });

    it('serves the stylesheet its pages link to', async () => {
      const page = await authorize({ client_id: 'unknown' });
      const href = /<link rel="stylesheet" href="([^"]+)">/.exec(page.text)?.[1] ?? 'no stylesheet link';

      await http()
        .get(href)
        .expect(200)
        .expect('Content-Type', /text\/css/);
    });

    it('answers 403 OAU-113 for an app without any redirect URI', async () => {
      await authorize({ client_id: 'jwt-only' }).expect(403, /OAU-113/);
    });

    it('redirects unauthorized_client when the app may not use the authorization code flow', async () => {
      const answer = await authorize({ client_id: 'no-code-grant' });

      const back = new URL(answer.headers['location'] as string);
      expect(back.searchParams.get('error')).toBe('unauthorized_client');
      expect(back.searchParams.get('state')).toBe('xyz');
    });

    it('answers a POST with TokenInvalid "Unparseable access token", as RingCentral does', async () => {
      const answer = await http()
        .post('/restapi/oauth/authorize')
        .set('Authorization', basic('app', 'secret'))
        .type('form')
        .send('grant_type=authorization_code')
        .expect(401);

      expect(answer.body).toEqual({
        errorCode: 'TokenInvalid',
        message: 'Unparseable access token',
        errors: [{ errorCode: 'OAU-149', message: 'Unparseable access token' }],
      });
    });
  });

  describe('POST /restapi/oauth/token', () => {
    it('exchanges a code for RingCentral-shaped tokens', async () => {
      const answer = await exchange(await code()).expect(200);

      expect(answer.headers['cache-control']).toBe('no-store');
      expect(answer.body).toEqual({
        access_token: expect.any(String),
        token_type: 'bearer',
        expires_in: 3600,
        refresh_token: expect.any(String),
        refresh_token_expires_in: 604800,
        scope: 'ReadAccounts ReadCallLog',
        owner_id: '101000001',
        endpoint_id: expect.any(String),
      });
    });

    it.each([
      [
        'no client authentication',
        () =>
          http()
            .post('/restapi/oauth/token')
            .type('form')
            .send('grant_type=authorization_code&code=x&redirect_uri=y'),
        401,
        'invalid_client',
        'OAU-123',
      ],
      [
        'a malformed Basic header',
        () => token({ grant_type: 'authorization_code' }, 'Basic !!!'),
        401,
        'invalid_client',
        'OAU-123',
      ],
      [
        'an unknown client',
        () => token({ grant_type: 'authorization_code' }, basic('nobody', 'x')),
        401,
        'invalid_client',
        'OAU-153',
      ],
      [
        'a wrong secret',
        () => token({ grant_type: 'authorization_code' }, basic('app', 'wrong')),
        401,
        'invalid_client',
        'OAU-146',
      ],
      ['an unknown grant type', () => token({ grant_type: 'magic' }), 400, 'invalid_request', 'OAU-250'],
      ['no grant type', () => token({}), 400, 'invalid_request', 'OAU-250'],
      [
        'a grant the app may not use',
        () => token({ grant_type: 'password', username: 'u', password: 'p' }),
        400,
        'unauthorized_client',
        'OAU-251',
      ],
      [
        'parameters in the query string',
        () =>
          http()
            .post('/restapi/oauth/token?grant_type=authorization_code')
            .set('Authorization', basic('app', 'secret'))
            .type('form')
            .send(''),
        400,
        'invalid_request',
        'CMN-105',
      ],
      [
        'a repeated parameter',
        () =>
          http()
            .post('/restapi/oauth/token')
            .set('Authorization', basic('app', 'secret'))
            .type('form')
            .send('grant_type=refresh_token&grant_type=refresh_token'),
        400,
        'invalid_request',
        'OAU-111',
      ],
      [
        'an unknown code',
        () => exchange('nope', { code_verifier: undefined }),
        400,
        'invalid_grant',
        'OAU-106',
      ],
    ])('rejects %s', async (_name, send, status, error, errorCode) => {
      const answer = await send();

      expect(answer.status).toBe(status);
      expect(answer.body).toMatchObject({ error, errors: [{ errorCode }] });
      expect(answer.body.error_description).toEqual(expect.any(String));
    });

    it('accepts only a form body (415 for JSON)', async () => {
      await http()
        .post('/restapi/oauth/token')
        .set('Authorization', basic('app', 'secret'))
        .send({ grant_type: 'authorization_code' })
        .expect(415);
    });

    it('redeems a code once; reuse fails with OAU-106 and revokes the tokens it produced', async () => {
      const value = await code();
      const first = await exchange(value).expect(200);

      const second = await exchange(value);

      expect(second.body.errors[0].errorCode).toBe('OAU-106');
      expect(emulator.store.isSessionActive(first.body.access_token)).toBe(false);
    });

    it('rejects a code older than 60 s with OAU-108', async () => {
      const value = await code();
      now += 61_000;

      const answer = await exchange(value);

      expect(answer.body).toMatchObject({ error: 'invalid_grant', errors: [{ errorCode: 'OAU-108' }] });
    });

    it('rejects a redirect_uri other than the one sent to /authorize with OAU-109', async () => {
      const answer = await exchange(await code(), { redirect_uri: 'http://localhost:3000/oauth/callback/' });

      expect(answer.body).toMatchObject({ error: 'invalid_grant', errors: [{ errorCode: 'OAU-109' }] });
    });

    it('rejects a missing or wrong PKCE verifier with invalid_grant', async () => {
      const wrong = await exchange(await code(), { code_verifier: 'x'.repeat(43) });
      const missing = await exchange(await code(), { code_verifier: undefined });

      expect(wrong.body.error).toBe('invalid_grant');
      expect(missing.body.error).toBe('invalid_grant');
    });

    it('rotates refresh tokens: the old access token works 10 s more, then is "not found"', async () => {
      const first = await signedIn();

      const second = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token }).expect(
        200,
      );

      const me = (accessToken: string) =>
        http().get('/restapi/v1.0/account/~/extension/~').set('Authorization', `Bearer ${accessToken}`);
      await me(first.access_token).expect(200);
      now += 9_000;
      await me(first.access_token).expect(200);
      now += 1_000;
      const late = await me(first.access_token).expect(401);
      expect(late.body).toMatchObject({ errorCode: 'TokenInvalid', errors: [{ errorCode: 'OAU-213' }] });
      await http()
        .get('/restapi/v1.0/account/~/extension/~')
        .set('Authorization', `bearer ${second.body.access_token}`)
        .expect(200);
      await token({ grant_type: 'refresh_token', refresh_token: second.body.refresh_token }).expect(200);
    });

    it('answers a reused refresh token with the same tokens until 10 s after the new access token is used', async () => {
      const first = await signedIn();
      const second = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token }).expect(
        200,
      );

      const replay = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token }).expect(
        200,
      );
      await http()
        .get('/restapi/v1.0/account/~/extension/~')
        .set('Authorization', `Bearer ${second.body.access_token}`)
        .expect(200);
      now += 11_000;
      const late = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });

      expect(replay.body.access_token).toBe(second.body.access_token);
      expect(late.body).toMatchObject({ error: 'invalid_grant' });
    });

    it('rejects an expired refresh token', async () => {
      const first = await signedIn();
      now += 604_801_000;

      const answer = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });

      expect(answer.body).toMatchObject({ error: 'invalid_grant', errors: [{ errorCode: 'OAU-210' }] });
    });
  });

  describe('GET /restapi/v1.0/account/~/extension/~/call-log', () => {
    const callLog = (accessToken: string, query = '') =>
      http()
        .get(`/restapi/v1.0/account/~/extension/~/call-log${query}`)
        .set('Authorization', `Bearer ${accessToken}`);

    it("answers the user's calls in RingCentral's shape, newest first, the same on every load", async () => {
      const { access_token } = await signedIn();

      const first = await callLog(access_token).expect(200);
      const again = await callLog(access_token).expect(200);

      const body = first.body as {
        records: {
          startTime: string;
          direction: string;
          result: string;
          duration: number;
          from: object;
          to: object;
        }[];
        paging: { page: number; perPage: number; totalElements: number; totalPages: number };
        navigation: { firstPage: { uri: string } };
      };
      expect(body.records.length).toBeGreaterThan(10);
      expect(body.paging).toMatchObject({ page: 1, perPage: 100, totalPages: 1 });
      expect(body.paging.totalElements).toBe(body.records.length);
      const times = body.records.map((r) => Date.parse(r.startTime));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      for (const record of body.records) {
        expect(['Inbound', 'Outbound']).toContain(record.direction);
        expect(record.result).toEqual(expect.any(String));
        expect(record.from).toHaveProperty('phoneNumber');
        expect(record.to).toHaveProperty('phoneNumber');
      }
      expect(again.body).toEqual(first.body);
    });

    it('pages with perPage and page, and says where the next page is', async () => {
      const { access_token } = await signedIn();
      const all = (await callLog(access_token).expect(200)).body as { records: { id: string }[] };

      const second = (await callLog(access_token, '?perPage=10&page=2').expect(200)).body as {
        records: { id: string }[];
        paging: { page: number; totalPages: number; pageStart: number };
        navigation: { nextPage?: { uri: string }; previousPage?: { uri: string } };
      };

      expect(second.records.map((r) => r.id)).toEqual(all.records.slice(10, 20).map((r) => r.id));
      expect(second.paging).toMatchObject({
        page: 2,
        totalPages: Math.ceil(all.records.length / 10),
        pageStart: 10,
      });
      expect(second.navigation.nextPage?.uri).toContain('page=3');
      expect(second.navigation.previousPage?.uri).toContain('page=1');
    });

    it('tags every answer with an RCRequestId, as RingCentral does', async () => {
      const { access_token } = await signedIn();

      const answers = [await callLog(access_token), await callLog('dead'), await http().get('/restapi/v1.0')];

      const ids = answers.map((answer) => answer.headers['rcrequestid']);
      for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Set(ids).size).toBe(3);
    });

    it('refuses a bad perPage with CMN-101, and a missing or dead token with 401', async () => {
      const { access_token } = await signedIn();

      const bad = await callLog(access_token, '?perPage=0').expect(400);
      const none = await http().get('/restapi/v1.0/account/~/extension/~/call-log').expect(401);
      const dead = await callLog('not-a-token').expect(401);

      expect(bad.body).toMatchObject({
        errorCode: 'CMN-101',
        message: 'Parameter [perPage] value is invalid.',
      });
      expect((none.body as { errorCode: string }).errorCode).toBe('AGW-401');
      expect((dead.body as { errorCode: string }).errorCode).toBe('TokenInvalid');
    });
  });

  describe('POST /restapi/oauth/revoke', () => {
    it('ends the whole token session, whichever token is sent', async () => {
      const tokens = await signedIn();

      await http()
        .post('/restapi/oauth/revoke')
        .set('Authorization', basic('app', 'secret'))
        .type('form')
        .send(`token=${tokens.access_token}`)
        .expect(200);

      await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }).expect(
        400,
        /invalid_grant/,
      );
      await http()
        .get('/restapi/v1.0/account/~/extension/~')
        .set('Authorization', `Bearer ${tokens.access_token}`)
        .expect(401, /OAU-213/);
    });

    it('answers CMN-101 for an empty token', async () => {
      await http()
        .post('/restapi/oauth/revoke')
        .set('Authorization', basic('app', 'secret'))
        .type('form')
        .send('token=')
        .expect(400, /CMN-101/);
    });
  });

  describe('GET /restapi/v1.0/account/~/extension/~', () => {
    it('returns the signed-in extension for a valid bearer token', async () => {
      const tokens = await signedIn();

      const answer = await http()
        .get('/restapi/v1.0/account/~/extension/~')
        .set('Authorization', `Bearer ${tokens.access_token}`)
        .expect(200);

      expect(answer.body).toMatchObject({
        id: 101000001,
        extensionNumber: '101',
        name: 'Ada Lovelace',
        account: { id: '400000001' },
        contact: { email: 'ada.lovelace@example.com' },
      });
    });

    it('rejects a missing, unparseable or expired token with 401', async () => {
      const tokens = await signedIn();
      await http()
        .get('/restapi/v1.0/account/~/extension/~')
        .expect(401, /Authorization header is not specified/);
      await http()
        .get('/restapi/v1.0/account/~/extension/~')
        .set('Authorization', 'Bearer not a token')
        .expect(401, /TokenInvalid/);
      now += 3_601_000;
      await http()
        .get('/restapi/v1.0/account/~/extension/~')
        .set('Authorization', `Bearer ${tokens.access_token}`)
        .expect(401, /OAU-128/);
    });
  });

  describe('memory', () => {
    const profile = (accessToken: string) =>
      http().get('/restapi/v1.0/account/~/extension/~').set('Authorization', `Bearer ${accessToken}`);

    it('forgets ended sessions and abandoned codes once it holds many, and answers as before', async () => {
      const sessions = [];
      for (let i = 0; i < 3 * PRUNE_ABOVE; i++) {
        sessions.push(await signedIn()); // as one user: each sign-in past the fifth ends the oldest
        await code(); // consent given, code never redeemed
        now += 61_000; // that code has expired
      }

      const held = emulator.store.size();
      expect(held.codes + held.sessions).toBeLessThanOrEqual(2 * PRUNE_ABOVE);
      // The five newest sessions still work; ended ones answer as before pruning: OAU-213, invalid_grant.
      for (const live of sessions.slice(-5)) await profile(live.access_token).expect(200);
      await profile(sessions[0]?.access_token ?? '').expect(401, /OAU-213/);
      await token({ grant_type: 'refresh_token', refresh_token: sessions[0]?.refresh_token ?? '' }).expect(
        400,
        /invalid_grant/,
      );
    });

    it('keeps a used code while its session lives: redeeming it again still ends that session', async () => {
      const used = await code();
      const tokens = (await exchange(used).expect(200)).body as { access_token: string };
      for (let i = 0; i < 2 * PRUNE_ABOVE; i++) {
        await code(); // enough codes to make the emulator tidy up, each expired before the next
        now += 61_000;
      }

      await exchange(used).expect(400, /OAU-106/);
      await profile(tokens.access_token).expect(401);
    });
  });

  describe('as strict as RingCentral', () => {
    /** An emulator with RingCentral's defaults: rate limits on, refresh tokens off unless registered. */
    async function strictEmulator(
      client: Record<string, unknown>,
      userId = '101000001',
    ): Promise<{ strict: RunningEmulator; tokens: { access_token: string; refresh_token?: string } }> {
      const strict = await startEmulator({
        clients: [
          { ...CLIENT, redirectUris: [REDIRECT], grants: ['authorization_code', 'refresh_token'], ...client },
        ],
        autoApproveUserIds: [userId],
        now: () => now,
      });
      const params = new URLSearchParams({
        response_type: 'code',
        client_id: CLIENT.clientId,
        redirect_uri: REDIRECT,
        code_challenge: CHALLENGE,
        code_challenge_method: 'S256',
      });
      const authorized = await request(strict.baseUrl).get(`/restapi/oauth/authorize?${params.toString()}`);
      const codeValue = new URL(authorized.headers['location'] as string).searchParams.get('code') ?? '';
      const exchanged = await request(strict.baseUrl)
        .post('/restapi/oauth/token')
        .set('Authorization', basic(CLIENT.clientId, CLIENT.clientSecret))
        .type('form')
        .send({
          grant_type: 'authorization_code',
          code: codeValue,
          redirect_uri: REDIRECT,
          code_verifier: VERIFIER,
        })
        .expect(200);
      return { strict, tokens: exchanged.body as { access_token: string; refresh_token?: string } };
    }
    const get = (on: RunningEmulator, path: string, accessToken: string) =>
      request(on.baseUrl).get(path).set('Authorization', `Bearer ${accessToken}`);
    const CALL_LOG = '/restapi/v1.0/account/~/extension/~/call-log';
    const ME = '/restapi/v1.0/account/~/extension/~';
    let strict: RunningEmulator | undefined;
    afterEach(() => strict?.close());

    it('issues no refresh token unless the app is registered with "Issue refresh tokens"', async () => {
      let signedIn = await strictEmulator({});
      strict = signedIn.strict;
      expect(signedIn.tokens).not.toHaveProperty('refresh_token');
      await strict.close();

      signedIn = await strictEmulator({ issueRefreshTokens: true });
      strict = signedIn.strict;
      expect(signedIn.tokens.refresh_token).toEqual(expect.any(String));
    });

    it("refuses an API call the app has no permission for, naming the permission (the app's, not the user's)", async () => {
      const signedIn = await strictEmulator({ permissions: ['SMS'] });
      strict = signedIn.strict;

      const answer = await get(strict, ME, signedIn.tokens.access_token).expect(403);

      expect(answer.body).toMatchObject({
        message: 'In order to call this API endpoint, application needs to have [ReadAccounts] permission.',
        permissionName: 'ReadAccounts',
        errors: [{ permissionName: 'ReadAccounts' }],
      });
      expect(answer.headers['rcrequestid']).toEqual(expect.any(String));
    });

    it("refuses with CMN-408 when the user's role lacks the permission the app has", async () => {
      const signedIn = await strictEmulator({ permissions: ['ReadAccounts', 'ReadCallLog'] }, '101000003');
      strict = signedIn.strict;

      await get(strict, ME, signedIn.tokens.access_token).expect(200);
      const answer = await get(strict, CALL_LOG, signedIn.tokens.access_token).expect(403);

      expect(answer.body).toMatchObject({
        errorCode: 'CMN-408',
        permissionName: 'ReadCallLog',
        errors: [{ errorCode: 'CMN-408', permissionName: 'ReadCallLog' }],
      });
    });

    it('limits the call log (Heavy) to 10 calls a minute per user, and each call in the penalty restarts it', async () => {
      const signedIn = await strictEmulator({ permissions: ['ReadAccounts', 'ReadCallLog'] });
      strict = signedIn.strict;
      const callLog = () => get(strict!, CALL_LOG, signedIn.tokens.access_token);

      const allowed = [];
      for (let i = 0; i < 10; i += 1) allowed.push((await callLog()).status);
      const over = await callLog();
      now += 59_000;
      const duringPenalty = await callLog();
      now += 59_000; // 118 s after the first 429, but only 59 s after the call that restarted the penalty
      const stillPenalised = await callLog();
      now += 60_000;
      const after = await callLog();

      expect(allowed).toEqual(Array(10).fill(200));
      expect(over.status).toBe(429);
      expect(over.headers).toMatchObject({ 'retry-after': '60', 'x-rate-limit-group': 'Heavy' });
      expect(over.body).toMatchObject({ errorCode: 'CMN-301', message: 'Request rate exceeded' });
      expect([duringPenalty.status, stillPenalised.status, after.status]).toEqual([429, 429, 200]);
      // The user's extension is in group Light: not affected.
      await get(strict, ME, signedIn.tokens.access_token).expect(200).expect('X-Rate-Limit-Group', 'Light');
    });

    it('limits the OAuth endpoints (Auth) to 5 requests a minute per app', async () => {
      const signedIn = await strictEmulator({ issueRefreshTokens: true }); // authorize + token: 2 requests
      strict = signedIn.strict;
      const refresh = (refreshToken: string) =>
        request(strict!.baseUrl)
          .post('/restapi/oauth/token')
          .set('Authorization', basic(CLIENT.clientId, CLIENT.clientSecret))
          .type('form')
          .send({ grant_type: 'refresh_token', refresh_token: refreshToken });

      let refreshToken = signedIn.tokens.refresh_token ?? '';
      const statuses = [];
      for (let i = 0; i < 4; i += 1) {
        const answer = await refresh(refreshToken);
        statuses.push(answer.status);
        refreshToken = (answer.body as { refresh_token?: string }).refresh_token ?? refreshToken;
      }

      expect(statuses).toEqual([200, 200, 200, 429]);
    });

    it('drops one access token on the "revoke-access-token" fault; the refresh token still works', async () => {
      const signedIn = await strictEmulator({
        issueRefreshTokens: true,
        permissions: ['ReadAccounts', 'ReadCallLog'],
      });
      strict = signedIn.strict;
      await request(strict.baseUrl)
        .post('/emulator/faults')
        .send({ endpoint: 'call-log', fault: { kind: 'revoke-access-token' } })
        .expect(201);

      const revoked = await get(strict, CALL_LOG, signedIn.tokens.access_token).expect(401);
      await get(strict, ME, signedIn.tokens.access_token).expect(401);
      const refreshed = await request(strict.baseUrl)
        .post('/restapi/oauth/token')
        .set('Authorization', basic(CLIENT.clientId, CLIENT.clientSecret))
        .type('form')
        .send({ grant_type: 'refresh_token', refresh_token: signedIn.tokens.refresh_token ?? '' })
        .expect(200);

      expect(revoked.body).toMatchObject({ errorCode: 'TokenInvalid', errors: [{ errorCode: 'OAU-213' }] });
      await get(strict, CALL_LOG, (refreshed.body as { access_token: string }).access_token).expect(200);
    });
  });
});
