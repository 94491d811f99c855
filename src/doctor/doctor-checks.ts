// The individual checks of `npm run doctor`. Each returns a pass or a fail with the fix; none prints or
// returns a secret. The network checks send exactly what the app sends, through the same client.
import { CALLBACK_PATH, type Config } from '../config.js';
import { estimateSecretBits, MIN_SECRET_BITS } from '../secret-strength.js';
import { describeError } from '../errors/error-catalog.js';
import { AppError } from '../errors/app-error.js';
import { codeChallengeS256, randomCodeVerifier, randomState } from '../auth/pkce.js';
import type { RingCentralClient, RingCentralProbes } from '../ringcentral/ringcentral-client.js';
import { PERMISSIONS_USED } from '../auth/token-set.js';

export interface CheckResult {
  readonly name: string;
  /** 'note': something the doctor cannot check, and where it shows instead; never a failure. */
  readonly status: 'pass' | 'fail' | 'skip' | 'note';
  readonly message: string;
  readonly fix?: string;
}

const pass = (name: string, message: string): CheckResult => ({ name, status: 'pass', message });
const fail = (name: string, message: string, fix: string): CheckResult => ({
  name,
  status: 'fail',
  message,
  fix,
});

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

export function checkServerUrl(config: Config): CheckResult {
  const name = 'RingCentral server URL';
  const url = new URL(config.ringcentral.serverUrl);
  if (url.pathname !== '/' || url.search !== '') {
    return fail(
      name,
      `RINGCENTRAL_SERVER_URL has a path (${url.pathname}); the app adds /restapi/oauth/... itself.`,
      'Set RINGCENTRAL_SERVER_URL to the server only, e.g. https://platform.ringcentral.com',
    );
  }
  if (url.protocol !== 'https:' && !LOOPBACK.test(url.hostname)) {
    return fail(
      name,
      `${url.origin} is not https.`,
      'RingCentral is served over https: use https://platform.ringcentral.com',
    );
  }
  return pass(name, url.origin);
}

export function checkRedirectUri(config: Config): CheckResult {
  const name = 'Redirect URI';
  const { redirectUri } = config.ringcentral;
  const expected = `${config.baseUrl}${CALLBACK_PATH}`;
  if (config.env === 'production' && !config.baseUrl.startsWith('https:')) {
    return fail(
      name,
      `BASE_URL ${config.baseUrl} is not https in production.`,
      'Serve the app over https and set BASE_URL to its https URL.',
    );
  }
  if (redirectUri !== expected) {
    const otherSite = new URL(redirectUri).origin !== new URL(config.baseUrl).origin;
    return fail(
      name,
      otherSite
        ? `${redirectUri} is on another site than BASE_URL ${config.baseUrl}: the session cookie set at /login would not come back with the callback.`
        : `${redirectUri} is not where the app serves its callback (${expected}).`,
      `Leave RINGCENTRAL_REDIRECT_URI unset (it defaults to ${expected}) and register that exact URI in the app's settings.`,
    );
  }
  return pass(name, `${redirectUri} (register exactly this in the app's OAuth settings)`);
}

export function checkSessionSecret(config: Config, explicitlySet: boolean): CheckResult {
  const name = 'Session secret';
  if (!explicitlySet) {
    return pass(
      name,
      'not set: a random one is made at each start (sessions end on restart; required in production)',
    );
  }
  const bits = estimateSecretBits(config.session.secret);
  if (bits < MIN_SECRET_BITS) {
    return fail(
      name,
      `SESSION_SECRET looks guessable (about ${Math.round(bits)} bits; at least ${MIN_SECRET_BITS} wanted).`,
      `Use random bytes: node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))"`,
    );
  }
  return pass(name, `${config.session.secret.length} characters, about ${Math.round(bits)} bits`);
}

export async function checkReachable(config: Config, client: RingCentralProbes): Promise<CheckResult> {
  const name = 'RingCentral reachable';
  try {
    const { status } = await client.probeApiRoot();
    return pass(name, `${config.ringcentral.serverUrl} answered (HTTP ${status})`);
  } catch (error) {
    return fail(
      name,
      `${config.ringcentral.serverUrl} did not answer (${transportCode(error)}).`,
      'Check RINGCENTRAL_SERVER_URL, DNS, and that outbound https is allowed (proxy, firewall).',
    );
  }
}

/** GET the authorize URL the app would send the browser to, without following it: is the request accepted? */
export async function checkAuthorizationRequest(
  config: Config,
  client: RingCentralClient & RingCentralProbes,
): Promise<CheckResult> {
  const name = 'Authorization request';
  const url = client.buildAuthorizationUrl({
    state: randomState(),
    codeChallenge: codeChallengeS256(randomCodeVerifier()),
  });
  let answer: { status: number; location: string; body: string };
  try {
    answer = await client.probeAuthorizationUrl(url);
  } catch (error) {
    return fail(
      name,
      `No answer from ${config.ringcentral.serverUrl} (${transportCode(error)}).`,
      'See "RingCentral reachable".',
    );
  }
  const { status, location, body } = answer;
  const redirectError = location.startsWith(config.ringcentral.redirectUri)
    ? new URL(location).searchParams.get('error')
    : null;
  if (status < 300 || (status < 400 && redirectError === null)) {
    return pass(name, `RingCentral accepts the client id and redirect URI (HTTP ${status}: sign-in page)`);
  }
  const errorCode = /\b(OAU-\d+|CMN-\d+)\b/.exec(body)?.[1];
  const { key, entry } = describeError('AUTHORIZATION_FAILED', {
    ...(errorCode === undefined ? {} : { errorCode }),
    ...(redirectError === null ? {} : { error: redirectError }),
  });
  return fail(
    name,
    `RingCentral refused the authorization request (HTTP ${status}, ${key}): ${entry.title}.`,
    entry.fix,
  );
}

/** The network error's code (ECONNREFUSED, ETIMEDOUT…) that the client kept as the cause, else ours. */
function transportCode(error: unknown): string {
  if (!(error instanceof AppError)) return 'error';
  const causeCode = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof causeCode === 'string' ? causeCode : error.code;
}

/**
 * Exchange a deliberately invalid code. invalid_grant means RingCentral authenticated the client and allows
 * the grant, and only the code was wrong; anything else names the misconfiguration.
 */
export async function checkClientCredentials(client: RingCentralClient): Promise<CheckResult> {
  const name = 'Client credentials';
  try {
    await client.exchangeAuthorizationCode({
      code: 'doctor-probe-not-a-real-code',
      codeVerifier: randomCodeVerifier(),
    });
    return fail(
      name,
      'RingCentral accepted a made-up authorization code.',
      'Check that RINGCENTRAL_SERVER_URL is really RingCentral.',
    );
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const { key, entry } = describeError(error.code, error.provider);
    const said = [error.provider?.error, error.provider?.errorCode, error.provider?.description]
      .filter(Boolean)
      .join(' / ');
    if (error.code === 'TOKEN_REJECTED' && error.provider?.errorCode !== 'OAU-109') {
      return pass(
        name,
        `accepted: RingCentral authenticated the app and rejected only the probe code (${said})`,
      );
    }
    if (error.code === 'PROVIDER_RATE_LIMITED') {
      return fail(
        name,
        `RingCentral rate-limited the probe (${said}).`,
        `Wait ${error.retryAfterSeconds ?? 60} s and run the doctor again.`,
      );
    }
    return fail(name, `RingCentral answered ${said || key}: ${entry.title}.`, entry.fix);
  }
}

/**
 * Two app settings RingCentral shows only inside a token, so no check without a signed-in user can see
 * them. The note says what goes wrong without each, and where the app says so.
 */
export function noteSettingsOnlyATokenShows(): CheckResult {
  return {
    name: 'Settings only a sign-in shows',
    status: 'note',
    message: `"Issue refresh tokens" (off for a new app: without it no refresh token is issued, the dashboard says "no refresh token issued" and users sign in again each hour) and the app permissions ${PERMISSIONS_USED.join(' and ')} (without ReadCallLog, /api/call-log shows a 403 naming it). The app logs a warning at sign-in when either is missing.`,
    fix: "Developer console → the app's Settings: Auth → Issue refresh tokens on; App permissions → Read Accounts and Read Call Log.",
  };
}
