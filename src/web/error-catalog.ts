// What each error code means: a title and a sentence for the person signing in, and for developers the
// likely cause and the fix. Data only; web/error-handler.ts decides what to show where.
import type { ErrorCode } from '../errors.js';

export interface CatalogEntry {
  readonly title: string;
  /** Shown to everyone: what happened, in words for the person signing in. */
  readonly userMessage: string;
  /** Shown in development only: likely cause and fix. */
  readonly developerHint: string;
}

const SIGN_IN_AGAIN = 'Please sign in again.';

export const ERROR_CATALOG: Readonly<Record<ErrorCode, CatalogEntry>> = {
  CONFIG_INVALID: {
    title: 'The app is not configured',
    userMessage: 'This app is not set up correctly yet.',
    developerHint: 'Start-up validation failed; the log lists every setting to fix (see .env.example).',
  },
  NOT_FOUND: {
    title: 'Page not found',
    userMessage: 'There is no page at this address.',
    developerHint: 'No route matches this path and method.',
  },
  METHOD_NOT_ALLOWED: {
    title: 'Not allowed',
    userMessage: 'This address cannot be used that way.',
    developerHint:
      'Refresh and Log out are POST forms with a CSRF token; /login and /oauth/callback are GET.',
  },
  REQUEST_INVALID: {
    title: 'Bad request',
    userMessage: 'The address or form was not in the expected shape.',
    developerHint: 'A parameter was missing, repeated, too long or had characters outside RFC 6749 VSCHAR.',
  },
  RETURN_TO_INVALID: {
    title: 'Not a page on this site',
    userMessage: 'The page to return to after sign-in must be on this site.',
    developerHint:
      'returnTo must be a same-origin path such as /dashboard: no scheme, host, "//", backslash or encoded slash.',
  },
  LOGIN_STATE_INVALID: {
    title: 'Sign-in link not valid',
    userMessage: `This sign-in link is not valid here or was already used. ${SIGN_IN_AGAIN}`,
    developerHint:
      'The callback "state" did not match a sign-in started in this browser session: the callback was opened twice, in another browser, after the session cookie was lost (cookie blocked, Secure cookie over http, another replica without a shared session store) or forged.',
  },
  LOGIN_EXPIRED: {
    title: 'Sign-in took too long',
    userMessage: `The sign-in was not finished in time. ${SIGN_IN_AGAIN}`,
    developerHint: 'More than 10 minutes passed between /login and the callback.',
  },
  AUTHORIZATION_DENIED: {
    title: 'Access not allowed',
    userMessage:
      'You chose not to give this app access to your RingCentral account, so you are not signed in.',
    developerHint:
      'RingCentral redirected back with error=access_denied: the user clicked Deny or Cancel on the consent page.',
  },
  AUTHORIZATION_FAILED: {
    title: 'RingCentral could not sign you in',
    userMessage: 'RingCentral could not complete the sign-in.',
    developerHint:
      'RingCentral redirected back with an error. unauthorized_client (OAU-112) means the app is not set up for the "3-legged OAuth flow authorization code" auth type in the developer console.',
  },
  CSRF_INVALID: {
    title: 'Form expired',
    userMessage: 'This form could not be accepted. Reload the page and try again.',
    developerHint:
      'POST /refresh and /logout need the _csrf field from the page and no foreign Origin header.',
  },
  NOT_SIGNED_IN: {
    title: 'Not signed in',
    userMessage: 'You are not signed in.',
    developerHint: 'The session holds no tokens.',
  },
  TOKEN_REJECTED: {
    title: 'Sign-in could not be completed',
    userMessage: `RingCentral did not accept this sign-in. ${SIGN_IN_AGAIN}`,
    developerHint:
      'invalid_grant at /restapi/oauth/token: the code expired (OAU-108, codes last about 60 s), was already used or unknown (OAU-106), the redirect_uri differs from the one sent to /authorize (OAU-109), or the PKCE code_verifier does not match.',
  },
  SESSION_ENDED: {
    title: 'Your session ended',
    userMessage: `Your RingCentral session has ended. ${SIGN_IN_AGAIN}`,
    developerHint:
      'The refresh token expired, was revoked, or was already used (RingCentral refresh tokens are single-use), so the tokens were dropped.',
  },
  CLIENT_MISCONFIGURED: {
    title: 'The app is not set up correctly',
    userMessage: 'Signing in with RingCentral is not working on this site right now.',
    developerHint:
      'RingCentral rejected the app itself. invalid_client: RINGCENTRAL_CLIENT_ID / RINGCENTRAL_CLIENT_SECRET are wrong or the Basic header is malformed. OAU-250 unsupported grant type / OAU-251 unauthorized for this grant type: in the developer console, set Auth to "3-legged OAuth flow authorization code" (Server-side web app) and enable "Issue refresh tokens". OAU-109/OAU-113: register RINGCENTRAL_REDIRECT_URI exactly.',
  },
  PROVIDER_RATE_LIMITED: {
    title: 'Too many requests',
    userMessage: 'RingCentral asked us to slow down. Please wait a moment and try again.',
    developerHint:
      'HTTP 429 (CMN-301): the Auth rate-limit group allows only a few calls per minute; honour Retry-After.',
  },
  PROVIDER_UNAVAILABLE: {
    title: 'RingCentral is unavailable',
    userMessage: 'RingCentral could not be reached. Please try again in a moment.',
    developerHint: 'Network error or HTTP 5xx from RINGCENTRAL_SERVER_URL.',
  },
  PROVIDER_TIMEOUT: {
    title: 'RingCentral is not answering',
    userMessage: 'RingCentral took too long to answer. Please try again in a moment.',
    developerHint: 'No answer within RINGCENTRAL_TIMEOUT_MS.',
  },
  PROVIDER_RESPONSE_INVALID: {
    title: 'Unexpected answer from RingCentral',
    userMessage: 'RingCentral gave an answer we could not understand. Please try again.',
    developerHint:
      'The body was not JSON or lacked required fields (access_token, token_type=bearer, expires_in). Is RINGCENTRAL_SERVER_URL really a RingCentral platform URL?',
  },
  INTERNAL: {
    title: 'Something went wrong',
    userMessage: 'Something went wrong on our side.',
    developerHint: 'An unexpected error; the log line with this reference id has the stack trace.',
  },
};
