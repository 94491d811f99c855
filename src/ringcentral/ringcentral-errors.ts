// Turns what RingCentral (or the network) answered into the app's error values. Never copies a request,
// header or body into the error: axios errors carry the Authorization header, so they are reduced first.
import { isAxiosError } from 'axios';
import { AppError, type ProviderErrorDetail } from '../errors/app-error.js';
import { ErrorBodySchema } from './ringcentral-types.js';

/** When RingCentral gives no Retry-After, its docs say to wait at least 30 s; we say 60 (its penalty window). */
const DEFAULT_RETRY_AFTER_SECONDS = 60;

/** The OAuth `error` values that mean "our app is set up wrong", not "the user must sign in again". */
const MISCONFIGURATION_ERRORS = new Set([
  'invalid_client',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_request',
  'invalid_redirect_uri',
]);

/**
 * How much of each text in an error body is kept. They end up in log lines and on the error page; a
 * provider (or whatever answers in its place) can send any length.
 */
const MAX_CODE_CHARS = 64;
const MAX_DESCRIPTION_CHARS = 300;

/** Reads RingCentral's error body, whichever of its two shapes it has, its texts cut to a sane length. */
export function readProviderError(httpStatus: number, body: unknown): ProviderErrorDetail {
  const parsed = ErrorBodySchema.safeParse(body);
  if (!parsed.success) return { httpStatus };
  const { error, error_description, errorCode, message, errors } = parsed.data;
  const code = errors?.[0]?.errorCode ?? errorCode;
  const description = error_description ?? message ?? errors?.[0]?.message;
  const permissionName = parsed.data.permissionName ?? errors?.[0]?.permissionName;
  return {
    httpStatus,
    ...(error === undefined ? {} : { error: cut(error, MAX_CODE_CHARS) }),
    ...(code === undefined ? {} : { errorCode: cut(code, MAX_CODE_CHARS) }),
    ...(description === undefined ? {} : { description: cut(description, MAX_DESCRIPTION_CHARS) }),
    ...(permissionName === undefined ? {} : { permissionName: cut(permissionName, MAX_CODE_CHARS) }),
  };
}

/**
 * A 403 naming a permission (ringcentral-oauth.md §12). CMN-408 is RingCentral's documented code for a
 * permission the *user's role* lacks; any other (forum posts report CMN-401, with the message "application
 * needs to have [X] permission") is a permission the *app* lacks.
 */
function permissionError(operation: string, provider: ProviderErrorDetail, permissionName: string): AppError {
  const userPermission =
    provider.errorCode === 'CMN-408' || /\buser needs to have\b/i.test(provider.description ?? '');
  const message = userPermission
    ? `RingCentral refused the ${operation}: your RingCentral role lacks the "${permissionName}" permission. It is a user permission: an administrator of your RingCentral account grants it to your role in the Admin Portal (Users → Roles).`
    : `RingCentral refused the ${operation}: this app lacks the "${permissionName}" permission. It is an app permission: the app's developer adds it in the RingCentral developer console (the app's Settings → App permissions); on production, changed permissions need the app to be approved again.`;
  return new AppError('API_PERMISSION_MISSING', message, { provider });
}

function cut(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars)}... (${text.length} characters)`;
}

/** An HTTP answer that is not a success, as an AppError with the right code and status. */
export function errorFromResponse(
  operation: string,
  httpStatus: number,
  body: unknown,
  retryAfterHeader: string | undefined,
): AppError {
  const provider = readProviderError(httpStatus, body);
  if (httpStatus === 429) {
    const retryAfterSeconds = parseRetryAfter(retryAfterHeader) ?? DEFAULT_RETRY_AFTER_SECONDS;
    return new AppError('PROVIDER_RATE_LIMITED', `RingCentral rate-limited the ${operation}.`, {
      provider,
      retryAfterSeconds,
    });
  }
  if (httpStatus >= 500) {
    return new AppError('PROVIDER_UNAVAILABLE', `RingCentral failed the ${operation} (HTTP ${httpStatus}).`, {
      provider,
    });
  }
  if (provider.error === undefined && provider.errorCode === undefined) {
    return new AppError(
      'PROVIDER_RESPONSE_INVALID',
      `RingCentral answered the ${operation} with HTTP ${httpStatus} and no error body we understand.`,
      {
        provider,
      },
    );
  }
  if (httpStatus === 403 && provider.permissionName !== undefined && provider.error === undefined) {
    return permissionError(operation, provider, provider.permissionName);
  }
  if (provider.error === 'invalid_grant') {
    // The code (or refresh token) is expired, used, or was issued for another redirect URI or verifier.
    return new AppError('TOKEN_REJECTED', `RingCentral rejected the grant in the ${operation}.`, {
      provider,
    });
  }
  if (provider.error !== undefined && MISCONFIGURATION_ERRORS.has(provider.error)) {
    return new AppError(
      'CLIENT_MISCONFIGURED',
      `RingCentral rejected the ${operation}: the app's settings do not match.`,
      {
        provider,
      },
    );
  }
  if (httpStatus === 401) {
    return new AppError(
      'ACCESS_TOKEN_REJECTED',
      `RingCentral did not accept the access token in the ${operation}.`,
      {
        provider,
      },
    );
  }
  return new AppError('CLIENT_MISCONFIGURED', `RingCentral refused the ${operation} (HTTP ${httpStatus}).`, {
    provider,
  });
}

/** A failure before any answer arrived: a timeout, a refused or dropped connection, a redirect. */
export function errorFromTransport(operation: string, cause: unknown): AppError {
  const timedOut =
    (isAxiosError(cause) &&
      (cause.code === 'ECONNABORTED' || cause.code === 'ETIMEDOUT' || cause.code === 'ERR_CANCELED')) ||
    (cause instanceof Error && cause.name === 'TimeoutError');
  // Keep only the code and message of the cause: the axios error object holds the Authorization header.
  const safeCause = isAxiosError(cause) ? { code: cause.code, message: cause.message } : undefined;
  return timedOut
    ? new AppError('PROVIDER_TIMEOUT', `RingCentral did not answer the ${operation} in time.`, {
        cause: safeCause,
      })
    : new AppError('PROVIDER_UNAVAILABLE', `RingCentral could not be reached for the ${operation}.`, {
        cause: safeCause,
      });
}

/** Retry-After is either delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
