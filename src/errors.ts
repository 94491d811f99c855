// Errors are values with a stable `code`: thrown by the layer that detects them, rendered in one place
// (web/error-handler.ts). A leaf module: it imports nothing from the app.

export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'REQUEST_INVALID'
  | 'RETURN_TO_INVALID'
  | 'LOGIN_STATE_MISSING'
  | 'LOGIN_STATE_MISMATCH'
  | 'LOGIN_SESSION_LOST'
  | 'LOGIN_EXPIRED'
  | 'AUTHORIZATION_DENIED'
  | 'AUTHORIZATION_FAILED'
  | 'CSRF_INVALID'
  | 'TOKEN_REJECTED'
  | 'SESSION_ENDED'
  | 'CLIENT_MISCONFIGURED'
  | 'PROVIDER_RATE_LIMITED'
  | 'PROVIDER_UNAVAILABLE'
  | 'PROVIDER_TIMEOUT'
  | 'PROVIDER_RESPONSE_INVALID'
  | 'STORE_UNAVAILABLE'
  | 'SIGNIN_RATE_LIMITED'
  | 'INTERNAL';

/** What RingCentral said, kept as data so the error page and the log can name it. Never holds a token. */
export interface ProviderErrorDetail {
  readonly httpStatus?: number;
  readonly error?: string; // OAuth `error`, e.g. invalid_grant
  readonly errorCode?: string; // RingCentral `errorCode`, e.g. OAU-251
  readonly description?: string; // error_description / message
}

export interface AppErrorOptions {
  status?: number;
  expose?: boolean;
  cause?: unknown;
  provider?: ProviderErrorDetail;
  retryAfterSeconds?: number;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  /** HTTP status the web tier answers with. */
  readonly status: number;
  /** May `message` be shown to the person signing in? (the http-errors convention) */
  readonly expose: boolean;
  readonly provider: ProviderErrorDetail | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = options.status ?? 500;
    this.expose = options.expose ?? this.status < 500;
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
