// Every error this sign-in flow can meet, as data: what the person signing in is told, and what a developer
// needs (likely causes, the fix, RingCentral's documentation). Keyed by the app's own error codes and by
// what RingCentral sends: its `errorCode` (OAU-…, CMN-…) or, failing that, the OAuth `error`.
// Read by the error page, `npm run doctor` and the README's Troubleshooting section (kept in step by a test).
// A leaf: imports only types.
import type { ErrorCode } from './app-error.js';

export interface CatalogEntry {
  readonly title: string;
  /** One sentence for the person signing in. */
  readonly userMessage: string;
  /** What a developer sees, for the README. */
  readonly symptom: string;
  readonly causes: readonly string[];
  /** Which developer-console setting or environment variable to change. */
  readonly fix: string;
  readonly docs: string;
}

const DOCS = {
  authCode: 'https://developers.ringcentral.com/guide/authentication/auth-code-flow',
  pkce: 'https://developers.ringcentral.com/guide/authentication/auth-code-pkce-flow',
  errors: 'https://developers.ringcentral.com/guide/basics/errors',
  rateLimits: 'https://developers.ringcentral.com/guide/basics/rate-limits',
  refresh: 'https://developers.ringcentral.com/guide/authentication/refresh-tokens',
  tokens: 'https://developers.ringcentral.com/guide/authentication/tokens',
  quickStart: 'https://developers.ringcentral.com/guide/authentication/quick-start',
  permissions: 'https://developers.ringcentral.com/guide/basics/permissions',
} as const;

const SIGN_IN_AGAIN = 'Please sign in again.';
const NOT_WORKING = 'Signing in with RingCentral is not working on this site right now.';
const AUTH_TYPE_FIX =
  'In the developer console, open the app\'s Settings → Auth and choose "3-legged OAuth flow authorization code" with "Server-side web app"; keep "Issue refresh tokens" on.';
const CREDENTIALS_FIX =
  "Copy the Client ID and Client Secret from the app's Credentials page in the developer console into RINGCENTRAL_CLIENT_ID and RINGCENTRAL_CLIENT_SECRET (no quotes or spaces), and restart.";
const REDIRECT_FIX =
  "Register RINGCENTRAL_REDIRECT_URI (default BASE_URL + /oauth/callback) in the app's Settings → OAuth Redirect URI exactly as the app sends it: same scheme, host, port and path, no trailing slash.";

/** The app's own errors, one per ErrorCode. */
export const FLOW_ERRORS: Readonly<Record<ErrorCode, CatalogEntry>> = {
  CONFIG_INVALID: {
    title: 'The app is not configured',
    userMessage: 'This app is not set up correctly yet.',
    symptom: 'The app exits at start-up with "Invalid configuration" and a list of settings.',
    causes: [
      'A required setting is missing or malformed (production needs credentials, BASE_URL and SESSION_SECRET).',
    ],
    fix: 'Set every setting the message lists (see .env.example), then run `npm run doctor`.',
    docs: DOCS.quickStart,
  },
  NOT_FOUND: {
    title: 'Page not found',
    userMessage: 'There is no page at this address.',
    symptom: '404 page.',
    causes: ['A mistyped address, or a link to a route the app does not have.'],
    fix: 'The app serves /, /login, /oauth/callback, POST /refresh, POST /logout, /api/extension and /api/call-log.',
    docs: DOCS.authCode,
  },
  METHOD_NOT_ALLOWED: {
    title: 'Not allowed',
    userMessage: 'This address cannot be used that way.',
    symptom: '405 page, e.g. for GET /logout.',
    causes: [
      'Refresh and Log out change state, so they only accept POST; /login and /oauth/callback only accept GET.',
    ],
    fix: 'Use the buttons on the dashboard (POST forms with a CSRF token).',
    docs: DOCS.authCode,
  },
  REQUEST_INVALID: {
    title: 'Bad request',
    userMessage: 'The address or form was not in the expected shape.',
    symptom: '400 page naming the parameter.',
    causes: ['A parameter was missing, repeated, empty, too long or had characters outside RFC 6749 VSCHAR.'],
    fix: 'Start again from the app\'s "Sign in with RingCentral" button instead of a hand-made URL.',
    docs: DOCS.authCode,
  },
  REQUEST_TOO_LARGE: {
    title: 'Request too large',
    userMessage: 'The form sent was larger than this site accepts.',
    symptom: '413 page for a POST to /refresh or /logout.',
    causes: ["A hand-made or scripted request: the app's own forms send two short hidden fields."],
    fix: 'Use the buttons on the dashboard instead of a hand-made request.',
    docs: DOCS.authCode,
  },
  REQUEST_UNSUPPORTED: {
    title: 'Request not readable',
    userMessage: 'The form was sent in an encoding this site does not read.',
    symptom: '415 page for a POST to /refresh or /logout.',
    causes: ['A hand-made request with a charset other than UTF-8, or a compressed body.'],
    fix: 'Use the buttons on the dashboard instead of a hand-made request.',
    docs: DOCS.authCode,
  },
  RETURN_TO_INVALID: {
    title: 'Not a page on this site',
    userMessage: 'The page to return to after sign-in must be on this site.',
    symptom: '400 page for /login?returnTo=...',
    causes: [
      'returnTo was not a same-origin path: it had a scheme, a host, "//", a backslash or an encoded slash.',
    ],
    fix: 'Link to /login?returnTo=/some/path with a path on this site only.',
    docs: DOCS.authCode,
  },
  LOGIN_STATE_MISSING: {
    title: 'Sign-in answer not recognised',
    userMessage: `The answer from RingCentral could not be matched to a sign-in. ${SIGN_IN_AGAIN}`,
    symptom: '400 page: the callback URL has no state parameter.',
    causes: [
      'The callback URL was opened by hand or cut short.',
      'Something other than this app started the sign-in.',
    ],
    fix: 'Always start at /login, which sends state to RingCentral; RingCentral returns it unchanged.',
    docs: DOCS.authCode,
  },
  LOGIN_STATE_MISMATCH: {
    title: 'Sign-in link not valid',
    userMessage: `This sign-in link is not valid here or was already used. ${SIGN_IN_AGAIN}`,
    symptom: '400 page: state does not match any sign-in started in this browser session.',
    causes: [
      'The callback was opened twice (reload or Back) or after another sign-in finished.',
      'The callback URL came from another browser or was forged (this is the CSRF protection working).',
      'The sign-in was started at another address than BASE_URL (http://127.0.0.1:3000 instead of http://localhost:3000) while an older sign-in cookie waited at BASE_URL: browsers keep cookies per host name. Outside production the app now sends such requests to BASE_URL first.',
    ],
    fix: 'Start again from /login. Nothing to configure unless it happens on every sign-in.',
    docs: DOCS.authCode,
  },
  LOGIN_SESSION_LOST: {
    title: 'Sign-in session lost',
    userMessage: `Your browser came back from RingCentral without the cookie this sign-in started with. ${SIGN_IN_AGAIN}`,
    symptom:
      '400 page on every sign-in: the callback arrives without a sign-in cookie (rcapp.login.*, set by /login for the callback path).',
    causes: [
      'The app was opened at a different host than BASE_URL (http://127.0.0.1:3000 vs http://localhost:3000): cookies are per host.',
      'BASE_URL is https but the app is reached over http (the Secure cookie is not sent), or the proxy is not trusted.',
      'RINGCENTRAL_REDIRECT_URI points at another host or path than BASE_URL + /oauth/callback, where the cookie is sent.',
      'Instances with different SESSION_SECRET or TOKEN_ENCRYPTION_KEY values, or a random SESSION_SECRET and a restart: the cookie cannot be opened.',
      'The browser blocks cookies for this site.',
    ],
    fix: 'Open the app exactly at BASE_URL, set a fixed SESSION_SECRET, and share the session store between instances.',
    docs: DOCS.authCode,
  },
  LOGIN_EXPIRED: {
    title: 'Sign-in took too long',
    userMessage: `The sign-in was not finished in time. ${SIGN_IN_AGAIN}`,
    symptom: '400 page: more than 10 minutes passed between /login and the callback.',
    causes: ['The consent page was left open for a long time.'],
    fix: 'Nothing to configure; sign in again.',
    docs: DOCS.authCode,
  },
  AUTHORIZATION_DENIED: {
    title: 'Access not allowed',
    userMessage:
      'You chose not to give this app access to your RingCentral account, so you are not signed in.',
    symptom: 'RingCentral redirects back with error=access_denied; 403 page.',
    causes: ['The user clicked Deny or Cancel on the consent page.'],
    fix: 'Nothing to fix; the user may sign in again and approve.',
    docs: DOCS.authCode,
  },
  AUTHORIZATION_FAILED: {
    title: 'RingCentral could not sign you in',
    userMessage: 'RingCentral could not complete the sign-in.',
    symptom: 'RingCentral redirects back with an error other than access_denied; 400 page.',
    causes: ['The app is not allowed the authorization code flow, or RingCentral refused the request.'],
    fix: AUTH_TYPE_FIX,
    docs: DOCS.authCode,
  },
  CSRF_INVALID: {
    title: 'Form expired',
    userMessage: 'This form could not be accepted. Reload the page and try again.',
    symptom: '403 page on POST /refresh or /logout.',
    causes: [
      'The form came from another site, or from a page older than the current session (after signing in again).',
    ],
    fix: 'Reload the dashboard and use its buttons.',
    docs: DOCS.authCode,
  },
  TOKEN_REJECTED: {
    title: 'Sign-in could not be completed',
    userMessage: `RingCentral did not accept this sign-in. ${SIGN_IN_AGAIN}`,
    symptom: 'invalid_grant from /restapi/oauth/token; 400 page.',
    causes: [
      'The authorization code expired (about 60 s) or was already used.',
      'The redirect_uri or PKCE code_verifier differs from the one used at /authorize.',
    ],
    fix: 'Sign in again. If it happens every time, check the server clock and RINGCENTRAL_REDIRECT_URI.',
    docs: DOCS.authCode,
  },
  ACCESS_TOKEN_REJECTED: {
    title: 'Sign-in could not be completed',
    userMessage: `RingCentral did not accept the new session. ${SIGN_IN_AGAIN}`,
    symptom: 'HTTP 401 from a RingCentral API call made with the access token; 401 page.',
    causes: [
      'The access token expired, was revoked, or was replaced by a refresh before it was used.',
      'The token was sent in a malformed Authorization header (it must be "Bearer <access_token>").',
    ],
    fix: 'Sign in again. If it happens every time, check what sits between the app and RingCentral (a proxy that rewrites headers).',
    docs: DOCS.tokens,
  },
  SESSION_ENDED: {
    title: 'Your session ended',
    userMessage: `Your RingCentral session has ended. ${SIGN_IN_AGAIN}`,
    symptom: 'invalid_grant when refreshing; the user is signed out with a 401 page.',
    causes: [
      'The refresh token expired (about 7 days) or was revoked (logout elsewhere, password change, admin).',
      'The refresh token was already used: RingCentral refresh tokens are single-use.',
      'No refresh token was issued ("Issue refresh tokens" is off for the app).',
      'The same user signed in to the same app more than five times: RingCentral keeps about five sessions.',
    ],
    fix: 'Sign in again. To get refresh tokens, turn on "Issue refresh tokens" in the app\'s Settings → Auth.',
    docs: DOCS.refresh,
  },
  CLIENT_MISCONFIGURED: {
    title: 'The app is not set up correctly',
    userMessage: NOT_WORKING,
    symptom: 'RingCentral rejects the app itself at /restapi/oauth/token; 500 page.',
    causes: [
      'Wrong client credentials, an auth type that does not allow this grant, or a redirect URI mismatch.',
    ],
    fix: 'Run `npm run doctor`: it names the failing setting.',
    docs: DOCS.errors,
  },
  PROVIDER_RATE_LIMITED: {
    title: 'Too many requests',
    userMessage: 'RingCentral asked us to slow down. Please wait a moment and try again.',
    symptom: 'HTTP 429 from RingCentral; 429 page with the wait time.',
    causes: ["The app's Auth rate-limit group (a few calls per minute per user) was exceeded."],
    fix: 'Wait for Retry-After; every request during the penalty restarts it.',
    docs: DOCS.rateLimits,
  },
  REFRESH_RATE_LIMITED: {
    title: 'Too many refreshes',
    userMessage:
      'This session was refreshed several times in the last minute. Your token is still in place; please wait a moment before refreshing again.',
    symptom: '429 page (or JSON) with Retry-After on POST /refresh, without a call to RingCentral.',
    causes: [
      "More than 3 manual refreshes of one session in a minute. RingCentral's Auth group allows about 5 calls a minute per user and app, and automatic refreshes and the revoke at logout count too.",
    ],
    fix: 'Wait for Retry-After. The app refreshes by itself shortly before the access token expires, so manual refreshes are rarely needed.',
    docs: DOCS.rateLimits,
  },
  PROVIDER_UNAVAILABLE: {
    title: 'RingCentral is unavailable',
    userMessage: 'RingCentral could not be reached. Please try again in a moment.',
    symptom: 'Network error or HTTP 5xx from RingCentral; 502 page.',
    causes: ['RingCentral is down, or the network, DNS or an outbound proxy blocks RINGCENTRAL_SERVER_URL.'],
    fix: 'Check RINGCENTRAL_SERVER_URL and outbound network access (`npm run doctor` tests it).',
    docs: DOCS.errors,
  },
  PROVIDER_TIMEOUT: {
    title: 'RingCentral is not answering',
    userMessage: 'RingCentral took too long to answer. Please try again in a moment.',
    symptom: 'No answer within RINGCENTRAL_TIMEOUT_MS; 504 page.',
    causes: ['RingCentral or the network is slow.'],
    fix: 'Try again; raise RINGCENTRAL_TIMEOUT_MS only if the network is known to be slow.',
    docs: DOCS.errors,
  },
  PROVIDER_RESPONSE_INVALID: {
    title: 'Unexpected answer from RingCentral',
    userMessage: 'RingCentral gave an answer we could not understand. Please try again.',
    symptom: 'A non-JSON body, or a token answer without access_token / token_type / expires_in; 502 page.',
    causes: [
      'RINGCENTRAL_SERVER_URL points at something that is not the RingCentral platform (a web page, a proxy login).',
    ],
    fix: 'Set RINGCENTRAL_SERVER_URL to https://platform.ringcentral.com (no path).',
    docs: DOCS.authCode,
  },
  STORE_UNAVAILABLE: {
    title: 'Temporarily unavailable',
    userMessage: 'This site cannot reach its session storage right now. Please try again in a moment.',
    symptom: '503 page on every page that needs the session; /readyz answers 503.',
    causes: ['Redis (SESSION_STORE=redis) is down, unreachable, or slower than REDIS_TIMEOUT_MS.'],
    fix: 'Bring Redis back (check REDIS_URL); the app reconnects by itself and sessions stored in Redis are kept.',
    docs: DOCS.errors,
  },
  LOGIN_NOT_A_NAVIGATION: {
    title: 'Sign-in must be opened as a page',
    userMessage:
      'A sign-in can only start when you open it as a page, from a link or a button. Please use the Sign in button.',
    symptom:
      '403 on /login or /oauth/callback when the browser sends Sec-Fetch-Dest other than document (image, script, iframe, a fetch).',
    causes: [
      'Another web page embeds /login as an image, script or frame (deliberately, to use up the sign-in rate limit, or by mistake).',
      'Your own front end calls /login with fetch or XMLHttpRequest: the redirect to RingCentral must be followed by the browser as a navigation.',
    ],
    fix: 'Link to /login (or set window.location, or open it in a popup); never fetch it or put it in a frame.',
    docs: DOCS.authCode,
  },
  SIGNIN_RATE_LIMITED: {
    title: 'Too many sign-in attempts',
    userMessage:
      'There were too many sign-in attempts from your network. Please wait a moment and try again.',
    symptom: '429 page with Retry-After on /login or /oauth/callback.',
    causes: [
      'More than SIGNIN_RATE_LIMIT_PER_MINUTE sign-in requests from one address in a minute.',
      "Behind a proxy without TRUST_PROXY, every user shares the proxy's address and so one limit.",
    ],
    fix: 'Wait for Retry-After. Behind a reverse proxy set TRUST_PROXY; raise SIGNIN_RATE_LIMIT_PER_MINUTE (0 turns it off) only if needed.',
    docs: DOCS.rateLimits,
  },
  SIGN_IN_REQUIRED: {
    title: 'Sign in first',
    userMessage: 'Please sign in with RingCentral to see this.',
    symptom:
      '401 JSON from /api/extension or /api/call-log without a signed-in session. A browser asking for a page is sent to sign in instead, and comes back afterwards.',
    causes: [
      'The session ended (logout, its time limit, a refresh token RingCentral no longer accepts) or the cookie was not sent.',
    ],
    fix: 'Sign in at /login first; a script calling the JSON API must send the session cookie (same origin, credentials included).',
    docs: DOCS.authCode,
  },
  API_PERMISSION_MISSING: {
    title: 'Permission missing',
    userMessage:
      'RingCentral did not allow this, because a permission is missing. The line below says which one and who can grant it.',
    symptom:
      'HTTP 403 with a permissionName from a RingCentral API call (the user lookup at sign-in, /api/extension, /api/call-log); 403 page naming the permission.',
    causes: [
      'The app lacks an app permission: "application needs to have [X] permission" (ReadAccounts for sign-in and /api/extension, ReadCallLog for /api/call-log).',
      'The user\'s role lacks a user permission: CMN-408 "user needs to have [X] permission for requested resource".',
    ],
    fix: "App permission: add it in the developer console (the app's Settings → App permissions; a production app needs approval again), then sign in again so the token carries it. User permission: an account administrator grants it to the user's role in the Admin Portal (Users → Roles).",
    docs: DOCS.permissions,
  },
  API_RATE_LIMITED: {
    title: 'Too many requests',
    userMessage:
      'RingCentral limits how often this can be loaded. Please wait for the time shown, then try again.',
    symptom: '429 page (or JSON) with Retry-After on /api/extension or /api/call-log.',
    causes: [
      "RingCentral answered 429 CMN-301: this user's quota for the API's rate-limit group is used up (the call log is Heavy, 10 calls a minute by default; the extension is Light, 50).",
      'Each call during the 60 s penalty restarts it, so the app makes no call for this session until Retry-After has passed, on any instance; reloading only shows the time left.',
    ],
    fix: 'Wait for Retry-After. Load Heavy APIs less often (cache what you can), or ask RingCentral for higher limits for the app.',
    docs: DOCS.rateLimits,
  },
  INTERNAL: {
    title: 'Something went wrong',
    userMessage: 'Something went wrong on our side.',
    symptom: '500 page.',
    causes: ['An unexpected error in the app.'],
    fix: 'Find the log line with the reference id shown on the page; it has the stack trace.',
    docs: DOCS.errors,
  },
};

/** Errors RingCentral shows on its own sign-in page about the user's account: the app never sees them. */
const accountCannotSignIn = (symptom: string, cause: string): CatalogEntry => ({
  title: 'This account cannot sign in',
  userMessage: 'RingCentral does not allow this account or extension to sign in right now.',
  symptom,
  causes: [cause],
  fix: "Nothing in the app: the user or the account's administrator must fix the account in RingCentral.",
  docs: DOCS.errors,
});

const rateLimited = (symptom: string): CatalogEntry => ({
  title: 'Too many requests',
  userMessage: 'RingCentral asked us to slow down. Please wait a moment and try again.',
  symptom,
  causes: ['More calls than the rate limit allows (for the app, the user, or RingCentral as a whole).'],
  fix: 'Wait for Retry-After; do not retry in a loop.',
  docs: DOCS.rateLimits,
});

/** What RingCentral says, by errorCode or OAuth error, as this flow can meet it (ringcentral-oauth.md §5b). */
export const PROVIDER_ERRORS: Readonly<Record<string, CatalogEntry>> = {
  'OAU-102': {
    title: 'RingCentral could not issue a code',
    userMessage: `RingCentral could not complete the sign-in. ${SIGN_IN_AGAIN}`,
    symptom: 'OAU-102 "Unable to issue authorization code" on RingCentral\'s page.',
    causes: ['The sign-in or consent page expired, or RingCentral hit a temporary problem.'],
    fix: 'Start again from /login.',
    docs: DOCS.errors,
  },
  'OAU-105': {
    title: 'This kind of extension cannot sign in',
    userMessage: 'This RingCentral extension cannot sign in to apps. Sign in with a user extension.',
    symptom: 'OAU-105 "Login for ${extensionType} extension is not allowed."',
    causes: ['The user signed in with a non-user extension (e.g. a call queue or department).'],
    fix: 'Sign in as a regular user extension.',
    docs: DOCS.errors,
  },
  'OAU-106': {
    title: 'Sign-in code not valid',
    userMessage: `RingCentral did not accept the sign-in code. ${SIGN_IN_AGAIN}`,
    symptom: 'invalid_grant / OAU-106 "Invalid authorization code" from /restapi/oauth/token.',
    causes: [
      'The code was already exchanged (codes are single-use).',
      'The PKCE code_verifier does not match the code_challenge sent to /authorize.',
      'The code is not one RingCentral issued (typo, truncated URL).',
    ],
    fix: 'Sign in again. Exchange each code once, with the code_verifier kept from the same /login.',
    docs: DOCS.pkce,
  },
  'OAU-108': {
    title: 'Sign-in code expired',
    userMessage: `The sign-in took too long to finish. ${SIGN_IN_AGAIN}`,
    symptom: 'invalid_grant / OAU-108 "Authorization code is expired" from /restapi/oauth/token.',
    causes: [
      'More than about 60 s passed between RingCentral issuing the code and the app exchanging it.',
      'The server clock or a slow callback delayed the exchange.',
    ],
    fix: 'Sign in again; exchange the code immediately in the callback.',
    docs: DOCS.authCode,
  },
  'OAU-109': {
    title: 'Redirect URI does not match',
    userMessage: NOT_WORKING,
    symptom:
      'OAU-109 "Redirect URIs do not match" (at /authorize as a 400 page, or at /restapi/oauth/token).',
    causes: [
      "RINGCENTRAL_REDIRECT_URI (or BASE_URL + /oauth/callback) is not registered in the app's settings exactly.",
      'http vs https, localhost vs 127.0.0.1, a port, or a trailing slash differs.',
    ],
    fix: REDIRECT_FIX,
    docs: DOCS.authCode,
  },
  invalid_redirect_uri: {
    title: 'Redirect URI does not match',
    userMessage: NOT_WORKING,
    symptom: 'error=invalid_redirect_uri from RingCentral.',
    causes: ["The redirect URI the app sends is not registered in the app's settings exactly."],
    fix: REDIRECT_FIX,
    docs: DOCS.authCode,
  },
  'OAU-110': {
    title: 'Code issued to another app',
    userMessage: `RingCentral did not accept the sign-in code. ${SIGN_IN_AGAIN}`,
    symptom: 'invalid_grant / OAU-110 "Authorization code was not issued for this application".',
    causes: [
      'The code was obtained with one client id and exchanged with another (two apps, or credentials changed mid-sign-in).',
    ],
    fix: 'Use the same RINGCENTRAL_CLIENT_ID for /login and the exchange; restart after changing credentials.',
    docs: DOCS.authCode,
  },
  'OAU-111': {
    title: 'Parameter sent twice',
    userMessage: NOT_WORKING,
    symptom: 'OAU-111 "Request parameter duplication detected".',
    causes: ['The same parameter appears twice in the request (e.g. in both the query string and the body).'],
    fix: 'Send each token-request parameter once, in the form body only.',
    docs: DOCS.errors,
  },
  'OAU-113': {
    title: 'No redirect URI registered',
    userMessage: NOT_WORKING,
    symptom: 'invalid_client / OAU-113 "No redirect uri is registered for the client" (HTTP 403).',
    causes: ['The app has no OAuth Redirect URI: typically a JWT-only app used for a 3-legged sign-in.'],
    fix: `${AUTH_TYPE_FIX} Then: ${REDIRECT_FIX}`,
    docs: DOCS.authCode,
  },
  'OAU-123': {
    title: 'Client authentication missing',
    userMessage: NOT_WORKING,
    symptom: 'invalid_client / OAU-123 "Client authentication is required" from /restapi/oauth/token.',
    causes: [
      'No Authorization: Basic base64(client_id:client_secret) header on the token request.',
      'A malformed Basic header (not base64, no colon, extra spaces or quotes in the secret).',
      'The client secret was sent in the body or query string instead of the header.',
    ],
    fix: CREDENTIALS_FIX,
    docs: DOCS.authCode,
  },
  'OAU-146': {
    title: 'Client secret not accepted',
    userMessage: NOT_WORKING,
    symptom: 'invalid_client / OAU-146 "Invalid client credentials" from /restapi/oauth/token.',
    causes: [
      'RINGCENTRAL_CLIENT_SECRET does not belong to RINGCENTRAL_CLIENT_ID (wrong app, old secret after a reset).',
    ],
    fix: CREDENTIALS_FIX,
    docs: DOCS.authCode,
  },
  'OAU-153': {
    title: 'Client id not known',
    userMessage: NOT_WORKING,
    symptom: 'invalid_client / OAU-153 "Invalid client" from RingCentral.',
    causes: [
      'RINGCENTRAL_CLIENT_ID is wrong, or belongs to another RingCentral environment than RINGCENTRAL_SERVER_URL.',
    ],
    fix: CREDENTIALS_FIX,
    docs: DOCS.authCode,
  },
  invalid_client: {
    title: 'Client credentials not accepted',
    userMessage: NOT_WORKING,
    symptom: 'invalid_client from /restapi/oauth/token.',
    causes: [
      'Missing or malformed Basic header ("Authentication header value is malformed"), or a wrong client id or secret.',
      'The app is blocked ("Bad Application Release Status: Blocked").',
    ],
    fix: CREDENTIALS_FIX,
    docs: DOCS.authCode,
  },
  'OAU-250': {
    title: 'Unsupported grant type',
    userMessage: NOT_WORKING,
    symptom: 'invalid_request / OAU-250 "Unsupported grant type" from /restapi/oauth/token.',
    causes: [
      'grant_type did not reach RingCentral in the form body: parameters sent in the query string or as JSON.',
      'A misspelled grant_type.',
    ],
    fix: 'POST to /restapi/oauth/token with Content-Type: application/x-www-form-urlencoded and every parameter in the body (this app always does).',
    docs: DOCS.authCode,
  },
  unsupported_grant_type: {
    title: 'Unsupported grant type',
    userMessage: NOT_WORKING,
    symptom: 'unsupported_grant_type from /restapi/oauth/token.',
    causes: ['grant_type is missing from the form body or misspelled.'],
    fix: 'Send grant_type=authorization_code (or refresh_token) in the form body.',
    docs: DOCS.authCode,
  },
  'OAU-251': {
    title: 'Grant type not allowed for this app',
    userMessage: NOT_WORKING,
    symptom: 'unauthorized_client / OAU-251 "Unauthorized for this grant type" from /restapi/oauth/token.',
    causes: [
      "The app's auth type does not allow this grant: e.g. a JWT or password app used for the authorization code flow.",
      'A refresh with "Issue refresh tokens" off.',
    ],
    fix: AUTH_TYPE_FIX,
    docs: DOCS.authCode,
  },
  unauthorized_client: {
    title: 'App not allowed the authorization code flow',
    userMessage: NOT_WORKING,
    symptom:
      'RingCentral redirects back with error=unauthorized_client ("The client is unauthorized for the required grant type", OAU-112), or the token endpoint answers unauthorized_client.',
    causes: [
      "The app's auth type in the developer console does not allow the authorization code flow (e.g. a JWT or password app).",
    ],
    fix: AUTH_TYPE_FIX,
    docs: DOCS.authCode,
  },
  'OAU-125': {
    title: 'Grant type not allowed for this app',
    userMessage: NOT_WORKING,
    symptom: 'OAU-125 "Grant type is not allowed for application."',
    causes: ["The app's auth type does not include the authorization code grant."],
    fix: AUTH_TYPE_FIX,
    docs: DOCS.authCode,
  },
  'OAU-127': {
    title: 'App release not allowed',
    userMessage: NOT_WORKING,
    symptom: 'OAU-127 "Invalid application release."',
    causes: [
      "The app's status in the developer console does not allow this sign-in (e.g. not yet approved for production use).",
      'Credentials of one app version used against another environment.',
    ],
    fix: "Check the app's status in the developer console and use the credentials that belong to RINGCENTRAL_SERVER_URL's environment.",
    docs: DOCS.errors,
  },
  'OAU-150': {
    title: 'Query string and body disagree',
    userMessage: NOT_WORKING,
    symptom:
      'OAU-150 "The value of query parameter [...] should be equal to parameter [...] in request body".',
    causes: ['A parameter was sent both in the URL and in the body, with different values.'],
    fix: 'Send token-request parameters only in the form body.',
    docs: DOCS.errors,
  },
  'OAU-165': {
    title: 'Sandbox credentials',
    userMessage: NOT_WORKING,
    symptom: 'OAU-165: a sandbox client app is not allowed here.',
    causes: [
      'RINGCENTRAL_CLIENT_ID / RINGCENTRAL_CLIENT_SECRET belong to a sandbox app, but RINGCENTRAL_SERVER_URL is production (sandbox is being retired).',
    ],
    fix: "Use the app's production credentials with RINGCENTRAL_SERVER_URL=https://platform.ringcentral.com.",
    docs: DOCS.authCode,
  },
  'OAU-164': {
    title: 'Revocation refused',
    userMessage: 'You are signed out of this app.',
    symptom:
      'OAU-164 from /restapi/oauth/revoke at logout (logged as a warning; the user is still signed out here).',
    causes: ['The revoke request was not authenticated as the app that owns the token.'],
    fix: 'Check RINGCENTRAL_CLIENT_ID / RINGCENTRAL_CLIENT_SECRET (`npm run doctor`); RingCentral says not to retry revocations.',
    docs: DOCS.tokens,
  },
  'OAU-134': {
    title: 'Invalid Authorization header',
    userMessage: `RingCentral did not accept the session's access token. ${SIGN_IN_AGAIN}`,
    symptom: 'OAU-134 "Invalid Authorization header." on an API call.',
    causes: ['The API call\'s Authorization header is not "Bearer <access_token>".'],
    fix: 'Send Authorization: Bearer <access_token> (this app does); never put the token in the URL.',
    docs: DOCS.tokens,
  },
  'OAU-119': accountCannotSignIn(
    'OAU-119 "International Virtual number cannot be used to login" on RingCentral\'s sign-in page.',
    'The user tried to sign in with an international virtual number.',
  ),
  'OAU-141': accountCannotSignIn(
    'OAU-141 "Login for extension in current state is not allowed."',
    'The extension is disabled or not yet activated.',
  ),
  'OAU-142': accountCannotSignIn(
    'OAU-142 "Login to account in current state is not allowed."',
    'The account is suspended, cancelled or not yet activated.',
  ),
  'OAU-147': accountCannotSignIn(
    'OAU-147 "The account is locked out due to multiple unsuccessful logon attempts."',
    'Too many wrong passwords.',
  ),
  'OAU-148': accountCannotSignIn(
    'OAU-148: the account is locked out (Single Sign-on).',
    'Too many failed single sign-on attempts.',
  ),
  'CMN-302': rateLimited('HTTP 429 CMN-302 "Request rate exceeded".'),
  'CMN-304': rateLimited('HTTP 429 CMN-304 "Duplicate concurrent request. Try again later".'),
  'CMN-310': rateLimited('HTTP 429 CMN-310 "Global request rate exceeded".'),
  'CMN-105': {
    title: 'Parameters in the query string',
    userMessage: NOT_WORKING,
    symptom: 'CMN-105 "URL should not contain query string when method is [POST]..."',
    causes: ['The token request carried its parameters in the URL instead of the form body.'],
    fix: 'Put every parameter in the application/x-www-form-urlencoded body.',
    docs: DOCS.errors,
  },
  invalid_request: {
    title: 'Malformed request to RingCentral',
    userMessage: NOT_WORKING,
    symptom: 'invalid_request from /restapi/oauth/token.',
    causes: [
      'A required parameter is missing, repeated or sent in the wrong place (query string, JSON body).',
    ],
    fix: 'Send grant_type, code, redirect_uri and code_verifier once each, in a form body.',
    docs: DOCS.authCode,
  },
  'OAU-149': {
    title: 'Unparseable access token',
    userMessage: `RingCentral did not accept the session's access token. ${SIGN_IN_AGAIN}`,
    symptom: 'TokenInvalid / OAU-149 "Unparseable access token".',
    causes: [
      'A server POSTed to /restapi/oauth/authorize with the app key and secret: that URL is a browser page, so the request is treated as an API call with a bad token.',
      'A malformed Authorization: Bearer header on an API call.',
    ],
    fix: "Redirect the browser to /restapi/oauth/authorize (this app's GET /login does), then exchange the code at /restapi/oauth/token.",
    docs: DOCS.authCode,
  },
  'OAU-128': {
    title: 'Access token expired',
    userMessage: `Your RingCentral session needs to be renewed. ${SIGN_IN_AGAIN}`,
    symptom: 'TokenExpired / OAU-128 "Access token expired" on an API call.',
    causes: ['The access token (about 1 hour) was used after expires_in.'],
    fix: "Refresh before expiry (the dashboard's Refresh button); do not wait for a 401.",
    docs: DOCS.refresh,
  },
  'OAU-129': {
    title: 'Access token replaced',
    userMessage: `Your RingCentral session was renewed elsewhere. ${SIGN_IN_AGAIN}`,
    symptom: 'TokenInvalid / OAU-129 "Access token corrupted" on an API call.',
    causes: [
      'The access token was used after a refresh replaced it (RingCentral invalidates the old one at once).',
    ],
    fix: 'Always store the token set from the latest refresh and use only that.',
    docs: DOCS.refresh,
  },
  'OAU-213': {
    title: 'Token not found',
    userMessage: `Your RingCentral session has ended. ${SIGN_IN_AGAIN}`,
    symptom: 'OAU-213 "Token not found" (API call or refresh).',
    causes: [
      'The token was revoked (logout), superseded by a refresh, or its session was ended by RingCentral.',
    ],
    fix: 'Sign in again.',
    docs: DOCS.tokens,
  },
  'OAU-210': {
    title: 'Token expired',
    userMessage: `Your RingCentral session has ended. ${SIGN_IN_AGAIN}`,
    symptom: 'invalid_grant / OAU-210 "Token expired" when refreshing.',
    causes: ['The refresh token is past its lifetime (about 7 days).'],
    fix: 'Sign in again.',
    docs: DOCS.refresh,
  },
  'CMN-408': {
    title: 'Permission missing',
    userMessage: NOT_WORKING,
    symptom: 'CMN-408 "... permission required" (e.g. [ReadAccounts] or [ThirdPartyAppAccess]).',
    causes: [
      'The app lacks the Read Accounts permission needed to read the signed-in extension.',
      "The user's role lacks Third Party Apps Access.",
    ],
    fix: "Add the Read Accounts permission in the app's Settings → App permissions; or ask the account admin to grant the user's role Third Party Apps Access.",
    docs: DOCS.errors,
  },
  'CMN-301': {
    title: 'Too many requests',
    userMessage: 'RingCentral asked us to slow down. Please wait a moment and try again.',
    symptom: 'HTTP 429 CMN-301 "Request rate exceeded".',
    causes: [
      'More sign-in or refresh calls than the Auth rate-limit group allows (an example default is 5 per minute per user).',
    ],
    fix: 'Wait for Retry-After (60 s penalty, restarted by each call during it). Avoid refreshing from many tabs or instances at once.',
    docs: DOCS.rateLimits,
  },
};

/**
 * Errors the app names more precisely than RingCentral's code does: a 403 with a permission name is
 * explained by which permission is missing, not by the code (its meaning differs between app and user).
 */
const APP_ENTRY_FIRST: ReadonlySet<ErrorCode> = new Set(['API_PERMISSION_MISSING', 'API_RATE_LIMITED']);

/** The entry for an error: RingCentral's errorCode first, then its OAuth error, then the app's code. */
export function describeError(
  code: ErrorCode,
  provider: { readonly errorCode?: string; readonly error?: string } | undefined,
): { key: string; entry: CatalogEntry } {
  if (APP_ENTRY_FIRST.has(code)) return { key: code, entry: FLOW_ERRORS[code] };
  for (const key of [provider?.errorCode, provider?.error]) {
    if (key !== undefined && Object.hasOwn(PROVIDER_ERRORS, key))
      return { key, entry: PROVIDER_ERRORS[key]! };
  }
  return { key: code, entry: FLOW_ERRORS[code] };
}
