// Errors are values with a stable `code`: thrown by the layer that detects them, rendered in one place
// (web/error-handler.ts). The code decides the HTTP status (the table below) and the text the person reads
// (error-catalog.ts). A leaf module: it imports nothing from the app.

/** Every error code, with the HTTP status the web tier answers it with. */
export const ERROR_STATUS = {
  CONFIG_INVALID: 500, // start-up only: the process exits
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_INVALID: 400,
  REQUEST_TOO_LARGE: 413,
  REQUEST_UNSUPPORTED: 415,
  RETURN_TO_INVALID: 400,
  LOGIN_STATE_MISSING: 400,
  LOGIN_STATE_MISMATCH: 400,
  LOGIN_SESSION_LOST: 400,
  LOGIN_EXPIRED: 400,
  /** /login or the callback requested as an image, script or frame rather than as a page (Sec-Fetch-Dest). */
  LOGIN_NOT_A_NAVIGATION: 403,
  AUTHORIZATION_DENIED: 403,
  AUTHORIZATION_FAILED: 400,
  CSRF_INVALID: 403,
  /** RingCentral answered invalid_grant: the code (or refresh token) is expired, used or mismatched. */
  TOKEN_REJECTED: 400,
  /** RingCentral answered 401 to a call made with the access token. */
  ACCESS_TOKEN_REJECTED: 401,
  SESSION_ENDED: 401,
  CLIENT_MISCONFIGURED: 500,
  PROVIDER_RATE_LIMITED: 429,
  PROVIDER_UNAVAILABLE: 502,
  PROVIDER_TIMEOUT: 504,
  PROVIDER_RESPONSE_INVALID: 502,
  STORE_UNAVAILABLE: 503,
  SIGNIN_RATE_LIMITED: 429,
  REFRESH_RATE_LIMITED: 429,
  /** An API page opened signed out by a client that wants JSON (a browser is sent to sign in instead). */
  SIGN_IN_REQUIRED: 401,
  /** RingCentral refused an API call for a permission the app or the user's role lacks. */
  API_PERMISSION_MISSING: 403,
  /** RingCentral asked this session to wait before calling that API again (429, remembered). */
  API_RATE_LIMITED: 429,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** What RingCentral said, kept as data so the error page and the log can name it. Never holds a token. */
export interface ProviderErrorDetail {
  readonly httpStatus?: number;
  readonly error?: string; // OAuth `error`, e.g. invalid_grant
  readonly errorCode?: string; // RingCentral `errorCode`, e.g. OAU-251
  readonly description?: string; // error_description / message
  readonly permissionName?: string; // on a 403: the permission missing, e.g. ReadCallLog
}

export interface AppErrorOptions {
  readonly cause?: unknown;
  readonly provider?: ProviderErrorDetail;
  /** For 429s: how long the client should wait (sent as Retry-After). */
  readonly retryAfterSeconds?: number;
}

/**
 * Who reads what: `message` is developer text, for the log and, on a 4xx, a detail line under the page's
 * own text. The person in front of the page reads the catalog's sentence for `code` (error-catalog.ts),
 * never a 5xx `message`.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  /** HTTP status the web tier answers with: ERROR_STATUS[code]. */
  readonly status: number;
  /** May `message` be shown on the page? Only for 4xx (the http-errors convention). */
  readonly expose: boolean;
  readonly provider: ProviderErrorDetail | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.expose = this.status < 500;
    this.provider = options.provider;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** Start-up configuration problems: every one of them, listed at once. */
export class ConfigError extends AppError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super('CONFIG_INVALID', `Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.problems = problems;
  }
}
