import {
  errorFromResponse,
  parseRetryAfter,
  readProviderError,
} from '../../src/ringcentral/ringcentral-errors';

describe("reading RingCentral's errors", () => {
  it('reads the OAuth shape', () => {
    const body = {
      error: 'unauthorized_client',
      errors: [{ errorCode: 'OAU-251', message: 'Unauthorized for this grant type' }],
      error_description: 'Unauthorized for this grant type',
    };

    expect(readProviderError(400, body)).toEqual({
      httpStatus: 400,
      error: 'unauthorized_client',
      errorCode: 'OAU-251',
      description: 'Unauthorized for this grant type',
    });
  });

  it('reads the REST API shape', () => {
    const body = {
      errorCode: 'TokenInvalid',
      message: 'Unparseable access token',
      errors: [{ errorCode: 'OAU-149', message: 'Unparseable access token' }],
    };

    expect(readProviderError(401, body)).toEqual({
      httpStatus: 401,
      errorCode: 'OAU-149',
      description: 'Unparseable access token',
    });
  });

  it.each([
    [400, { error: 'invalid_grant' }, 'TOKEN_REJECTED', 400],
    [401, { error: 'invalid_client' }, 'CLIENT_MISCONFIGURED', 500],
    [400, { error: 'invalid_request', errors: [{ errorCode: 'OAU-250' }] }, 'CLIENT_MISCONFIGURED', 500],
    [503, undefined, 'PROVIDER_UNAVAILABLE', 502],
    [400, undefined, 'PROVIDER_RESPONSE_INVALID', 502],
    [429, undefined, 'PROVIDER_RATE_LIMITED', 429],
  ])('maps HTTP %i %j to %s (%i)', (status, body, code, appStatus) => {
    const error = errorFromResponse('token call', status, body, undefined);

    expect(error.code).toBe(code);
    expect(error.status).toBe(appStatus);
  });

  it('reads Retry-After as seconds or as an HTTP date, defaulting to 60 s for a 429', () => {
    expect(parseRetryAfter('42')).toBe(42);
    expect(parseRetryAfter('Sun, 22 Nov 2026 12:01:00 GMT', Date.UTC(2026, 10, 22, 12, 0, 0))).toBe(60);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(errorFromResponse('token call', 429, undefined, undefined).retryAfterSeconds).toBe(60);
  });
});
