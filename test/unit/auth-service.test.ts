import { createAuthService, LOGIN_TTL_MS } from '../../src/auth/auth-service';
import { AppError } from '../../src/errors/app-error';
import type { RingCentralClient } from '../../src/ringcentral/ringcentral-client';

const NOW = 1_800_000_000_000;
const TOKENS = {
  access_token: 'AT',
  token_type: 'bearer',
  expires_in: 3600,
  refresh_token: 'RT',
  refresh_token_expires_in: 604800,
  scope: 'ReadAccounts',
};

function fakeClient(overrides: Partial<RingCentralClient> = {}) {
  const calls: string[] = [];
  const client: RingCentralClient = {
    buildAuthorizationUrl: ({ state, codeChallenge }) =>
      `https://rc.example/authorize?state=${state}&code_challenge=${codeChallenge}`,
    exchangeAuthorizationCode: () => (calls.push('exchange'), Promise.resolve(TOKENS)),
    refreshAccessToken: () => (
      calls.push('refresh'),
      Promise.resolve({ ...TOKENS, access_token: 'AT2', refresh_token: 'RT2' })
    ),
    revokeToken: () => (calls.push('revoke'), Promise.resolve()),
    callApi: <T>() => (
      calls.push('extension'),
      Promise.resolve({ id: '7', contact: { firstName: 'Ada', lastName: 'Lovelace' } } as T)
    ),
    ...overrides,
  };
  return { client, calls };
}

const service = (client: RingCentralClient, now = NOW) => createAuthService({ client, now: () => now });
const rejectsWith = async (promise: Promise<unknown>, code: string) => {
  await expect(promise).rejects.toBeInstanceOf(AppError);
  await expect(promise).rejects.toMatchObject({ code });
};

describe('createAuthService', () => {
  it('beginLogin keeps the verifier and sends only its challenge', () => {
    const { client } = fakeClient();

    const { state, pendingLogin, authorizationUrl } = service(client).beginLogin('/x');

    expect(authorizationUrl).toContain(`state=${state}`);
    expect(authorizationUrl).not.toContain(pendingLogin.codeVerifier);
    expect(pendingLogin).toMatchObject({ returnTo: '/x', createdAt: NOW });
  });

  it('completeLogin exchanges the code and fetches the user once', async () => {
    const { client, calls } = fakeClient();
    const { pendingLogin } = service(client).beginLogin('/');

    const { user, tokens } = await service(client).completeLogin(pendingLogin, { kind: 'code', code: 'c' });

    expect(calls).toEqual(['exchange', 'extension']);
    expect(user.name).toBe('Ada Lovelace');
    expect(tokens.expiresAt).toBe(NOW + 3_600_000);
  });

  it('completeLogin turns access_denied into AUTHORIZATION_DENIED without a token call', async () => {
    const { client, calls } = fakeClient();
    const { pendingLogin } = service(client).beginLogin('/');

    await rejectsWith(
      service(client).completeLogin(pendingLogin, {
        kind: 'error',
        error: 'access_denied',
        errorDescription: 'no',
      }),
      'AUTHORIZATION_DENIED',
    );
    expect(calls).toEqual([]);
  });

  it('completeLogin refuses a sign-in older than the login TTL', async () => {
    const { client, calls } = fakeClient();
    const { pendingLogin } = service(client).beginLogin('/');

    await rejectsWith(
      service(client, NOW + LOGIN_TTL_MS + 1).completeLogin(pendingLogin, { kind: 'code', code: 'c' }),
      'LOGIN_EXPIRED',
    );
    expect(calls).toEqual([]);
  });

  it('refresh turns a rejected refresh token into SESSION_ENDED', async () => {
    const rejected = new AppError('TOKEN_REJECTED', 'no', { provider: { error: 'invalid_grant' } });
    const { client } = fakeClient({ refreshAccessToken: () => Promise.reject(rejected) });
    const tokens = await service(client).completeLogin(service(client).beginLogin('/').pendingLogin, {
      kind: 'code',
      code: 'c',
    });

    await rejectsWith(service(client).refresh(tokens.tokens), 'SESSION_ENDED');
  });

  it('refresh passes other failures through (the session stays)', async () => {
    const down = new AppError('PROVIDER_UNAVAILABLE', 'down');
    const { client } = fakeClient({ refreshAccessToken: () => Promise.reject(down) });
    const { tokens } = await service(client).completeLogin(service(client).beginLogin('/').pendingLogin, {
      kind: 'code',
      code: 'c',
    });

    await rejectsWith(service(client).refresh(tokens), 'PROVIDER_UNAVAILABLE');
  });

  it('logout says what failed instead of throwing when the revoke fails', async () => {
    const { client } = fakeClient({
      revokeToken: () => Promise.reject(new AppError('PROVIDER_TIMEOUT', 'slow')),
    });
    const { tokens } = await service(client).completeLogin(service(client).beginLogin('/').pendingLogin, {
      kind: 'code',
      code: 'c',
    });

    await expect(service(client).logout(tokens)).resolves.toMatchObject({
      revoked: false,
      failure: { code: 'PROVIDER_TIMEOUT' },
    });
  });
});
