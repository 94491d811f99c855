// The only module that talks to RingCentral: its URLs, client authentication and wire format.
// Every call here is written out by hand with axios, because showing these requests is what the app is for.
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { AppError } from '../errors/app-error.js';
import { errorFromResponse, errorFromTransport } from './ringcentral-errors.js';
import {
  CallLogResponseSchema,
  ExtensionInfoSchema,
  TokenResponseSchema,
  type CallLogResponse,
  type ExtensionInfo,
  type TokenResponse,
} from './ringcentral-types.js';

export const AUTHORIZE_PATH = '/restapi/oauth/authorize';
export const TOKEN_PATH = '/restapi/oauth/token';
export const REVOKE_PATH = '/restapi/oauth/revoke';
export const CURRENT_EXTENSION_PATH = '/restapi/v1.0/account/~/extension/~';
export const CALL_LOG_PATH = '/restapi/v1.0/account/~/extension/~/call-log';
/** The REST API's root: answers without authentication, which is all `npm run doctor` asks of it. */
export const API_ROOT_PATH = '/restapi/v1.0';

/** Token answers are a few hundred bytes; anything much larger is not RingCentral talking. */
const MAX_RESPONSE_BYTES = 64 * 1024;
/** API answers: a call-log page of at most MAX_CALL_LOG_PER_PAGE records is far below this. */
const MAX_API_RESPONSE_BYTES = 1024 * 1024;
/** The app asks for at most this many calls per page (RingCentral allows 1000), so a page stays light. */
export const MAX_CALL_LOG_PER_PAGE = 100;
/** RingCentral's sign-in page, fetched only by `npm run doctor`. */
const MAX_PAGE_BYTES = 4 * 1024 * 1024;
/** RingCentral's docs: revoke errors are to be ignored, so do not let a slow revoke hold up a logout. */
const REVOKE_DEADLINE_MS = 5_000;

export interface RingCentralClientOptions {
  readonly serverUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  readonly timeoutMs: number;
}

/**
 * One GET of RingCentral's REST API: where, with which query, and the shape the answer must have.
 * `name` identifies the API for the app (a 429's wait is remembered per name).
 */
export interface ApiRequest<T> {
  readonly name: string;
  readonly operation: string;
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } };
}

/** The signed-in user's extension record (ReadAccounts; rate-limit group Light). */
export const CURRENT_EXTENSION: ApiRequest<ExtensionInfo> = {
  name: 'extension',
  operation: 'user lookup',
  path: CURRENT_EXTENSION_PATH,
  schema: ExtensionInfoSchema,
};

/** One page of the signed-in user's call log, newest first (ReadCallLog; rate-limit group Heavy). */
export function callLogPage(page: number, perPage: number): ApiRequest<CallLogResponse> {
  return {
    name: 'call-log',
    operation: 'call log request',
    path: CALL_LOG_PATH,
    query: { view: 'Simple', page: String(page), perPage: String(Math.min(perPage, MAX_CALL_LOG_PER_PAGE)) },
    schema: CallLogResponseSchema,
  };
}

export interface RingCentralClient {
  buildAuthorizationUrl(params: { state: string; codeChallenge: string }): string;
  exchangeAuthorizationCode(params: { code: string; codeVerifier: string }): Promise<TokenResponse>;
  refreshAccessToken(refreshToken: string): Promise<TokenResponse>;
  revokeToken(token: string): Promise<void>;
  /**
   * GET an API with the user's access token. Throws ACCESS_TOKEN_REJECTED on a 401 (the caller refreshes
   * and retries once), PROVIDER_RATE_LIMITED on a 429, API_PERMISSION_MISSING on a 403 naming a permission.
   */
  callApi<T>(accessToken: string, request: ApiRequest<T>): Promise<T>;
}

/** Checks of the setup that only `npm run doctor` makes; the sign-in flow never calls them. */
export interface RingCentralProbes {
  /** GET the API root; any HTTP status means RingCentral answered. */
  probeApiRoot(): Promise<{ status: number }>;
  /** GET an authorization URL as a browser would, without following its redirect. */
  probeAuthorizationUrl(url: string): Promise<{ status: number; location: string; body: string }>;
}

export function createRingCentralClient(
  options: RingCentralClientOptions,
): RingCentralClient & RingCentralProbes {
  const http = createHttp(options);
  // RFC 6749 §2.3.1: Basic base64(urlencode(id) ":" urlencode(secret)). RingCentral's ids and secrets are
  // alphanumeric, so this is the same bytes the official SDK sends.
  const basicAuth = `Basic ${Buffer.from(`${formEncode(options.clientId)}:${formEncode(options.clientSecret)}`).toString('base64')}`;

  /** POST a form to an OAuth endpoint: the body carries every parameter, never the query string. */
  async function postForm(
    path: string,
    form: Record<string, string>,
    operation: string,
    deadlineMs = options.timeoutMs,
  ) {
    const response = await send(operation, deadlineMs, (signal) =>
      http.post<string>(path, new URLSearchParams(form).toString(), {
        headers: {
          Authorization: basicAuth,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        signal,
      }),
    );
    return expectSuccess(operation, response);
  }

  return {
    buildAuthorizationUrl({ state, codeChallenge }) {
      // The browser is *sent* here (a 302); a server-side POST to this URL gets "TokenInvalid".
      const url = new URL(AUTHORIZE_PATH, options.serverUrl);
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: options.clientId,
        redirect_uri: options.redirectUri,
        state,
        code_challenge: codeChallenge,
        // Explicit: RingCentral assumes "plain" when the method is omitted (RFC 7636 §4.3).
        code_challenge_method: 'S256',
      }).toString();
      return url.href;
    },

    async exchangeAuthorizationCode({ code, codeVerifier }) {
      const body = await postForm(
        TOKEN_PATH,
        // redirect_uri must be byte-identical to the one sent to /authorize (RFC 6749 §4.1.3).
        {
          grant_type: 'authorization_code',
          code,
          redirect_uri: options.redirectUri,
          code_verifier: codeVerifier,
        },
        'authorization code exchange',
      );
      return parseWith(TokenResponseSchema, body, 'authorization code exchange');
    },

    async refreshAccessToken(refreshToken) {
      const body = await postForm(
        TOKEN_PATH,
        { grant_type: 'refresh_token', refresh_token: refreshToken },
        'token refresh',
      );
      return parseWith(TokenResponseSchema, body, 'token refresh');
    },

    async revokeToken(token) {
      // RingCentral ends the whole token session whichever token is sent; the token goes in the body,
      // never the query string, so it cannot land in an access log.
      await postForm(
        REVOKE_PATH,
        { token },
        'token revocation',
        Math.min(options.timeoutMs, REVOKE_DEADLINE_MS),
      );
    },

    async callApi(accessToken, { operation, path, query, schema }) {
      const response = await send(operation, options.timeoutMs, (signal) =>
        http.get<string>(path, {
          // The token goes in the Authorization header only: in a query string it would reach access logs.
          headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
          params: query,
          // A call-log page is larger than a token answer, but still bounded: never read an endless body.
          maxContentLength: MAX_API_RESPONSE_BYTES,
          signal,
        }),
      );
      return parseWith(schema, expectSuccess(operation, response), operation);
    },

    async probeApiRoot() {
      const response = await send('reachability check', options.timeoutMs, (signal) =>
        http.get<string>(API_ROOT_PATH, { signal }),
      );
      return { status: response.status };
    },

    async probeAuthorizationUrl(url) {
      // Only URLs this client built: the doctor must not be a way to fetch arbitrary addresses.
      if (!url.startsWith(new URL(AUTHORIZE_PATH, options.serverUrl).href))
        throw new AppError('INTERNAL', 'Only an authorization URL built by this client can be probed.');
      const response = await send('authorization request check', options.timeoutMs, (signal) =>
        // A sign-in page, not an API answer: it may be far larger than the cap for API answers.
        http.get<string>(url, { signal, maxContentLength: MAX_PAGE_BYTES }),
      );
      const location: unknown = response.headers['location'];
      return {
        status: response.status,
        location: typeof location === 'string' ? location : '',
        body: typeof response.data === 'string' ? response.data : '',
      };
    },
  };
}

function createHttp(options: RingCentralClientOptions): AxiosInstance {
  return axios.create({
    baseURL: options.serverUrl,
    // axios's `timeout` is only a socket-idle timeout in Node; send() adds a total deadline on top.
    timeout: options.timeoutMs,
    // A redirect from the token endpoint is never legitimate; following it could post the code elsewhere.
    maxRedirects: 0,
    maxContentLength: MAX_RESPONSE_BYTES,
    maxBodyLength: MAX_RESPONSE_BYTES,
    // We look at every status ourselves and parse JSON ourselves, so a non-JSON body is an error value.
    validateStatus: () => true,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
  });
}

/** Runs one request under a total deadline; a failure before any answer becomes a provider error. */
async function send(
  operation: string,
  deadlineMs: number,
  request: (signal: AbortSignal) => Promise<AxiosResponse<string>>,
): Promise<AxiosResponse<string>> {
  try {
    return await request(AbortSignal.timeout(deadlineMs));
  } catch (error) {
    throw errorFromTransport(operation, error);
  }
}

/** The parsed JSON body of a 2xx answer; anything else becomes the matching AppError. */
function expectSuccess(operation: string, response: AxiosResponse<string>): unknown {
  const body = parseJson(response.data);
  if (response.status >= 200 && response.status < 300) return body;
  const retryAfter = response.headers['retry-after'] as string | undefined;
  throw errorFromResponse(operation, response.status, body, retryAfter);
}

function parseJson(text: string): unknown {
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function parseWith<T>(
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } },
  body: unknown,
  operation: string,
): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new AppError(
      'PROVIDER_RESPONSE_INVALID',
      `RingCentral's answer to the ${operation} is not what RingCentral documents.`,
      {},
    );
  }
  return parsed.data;
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}
