// `npm run doctor` against the emulator set up with each misconfiguration people hit.
import { doctorExitCode, formatReport, runDoctor, type CheckResult } from '../../src/doctor/doctor';
import type { EmulatorClient } from '../../src/emulator/emulator-store';
import { startEmulator, type RunningEmulator } from '../../src/emulator/start-emulator';
import { strongSessionSecret } from '../helpers/test-config';

const SECRET = 'doctor-test-client-secret-XYZ';
const SESSION_SECRET = strongSessionSecret();
const APP = 'http://localhost:3000';

let emulator: RunningEmulator;

async function doctor(client: Partial<EmulatorClient> = {}, env: Record<string, string> = {}, options = {}) {
  emulator = await startEmulator({
    clients: [
      {
        clientId: 'app',
        clientSecret: SECRET,
        redirectUris: [`${APP}/oauth/callback`],
        grants: ['authorization_code', 'refresh_token'],
        ...client,
      },
    ],
    ...options,
  });
  const results = await runDoctor({
    RINGCENTRAL_SERVER_URL: emulator.baseUrl,
    RINGCENTRAL_CLIENT_ID: 'app',
    RINGCENTRAL_CLIENT_SECRET: SECRET,
    SESSION_SECRET,
    RINGCENTRAL_TIMEOUT_MS: '2000',
    ...env,
  });
  return {
    results,
    report: formatReport(results),
    byName: (name: string) => results.find((r) => r.name === name) as CheckResult,
  };
}

afterEach(async () => {
  await emulator?.close();
});

describe('npm run doctor', () => {
  it('passes every check against a correctly registered app, and exits 0', async () => {
    const { results, report } = await doctor();

    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['Settings', 'pass'],
      ['RingCentral server URL', 'pass'],
      ['Redirect URI', 'pass'],
      ['Session secret', 'pass'],
      ['RingCentral reachable', 'pass'],
      ['Authorization request', 'pass'],
      ['Client credentials', 'pass'],
      ['Settings only a sign-in shows', 'note'],
    ]);
    expect(doctorExitCode(results)).toBe(0);
    expect(report).toContain('All 7 checks passed.');
    expect(report).toContain('NOTE  Settings only a sign-in shows: "Issue refresh tokens"');
    expect(report).toContain('Read Call Log');
  });

  it('never prints the client secret or the session secret', async () => {
    const { report: good } = await doctor();
    await emulator.close();
    const { report: bad } = await doctor({ clientSecret: 'other' });

    for (const report of [good, bad]) {
      expect(report).not.toContain(SECRET);
      expect(report).not.toContain(SESSION_SECRET);
    }
  });

  it('names a wrong client secret (invalid_client, OAU-146) and exits 1', async () => {
    const { results, byName } = await doctor({ clientSecret: 'the-real-one-differs' });

    expect(byName('Client credentials')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('OAU-146'),
    });
    expect(byName('Client credentials').fix).toContain('RINGCENTRAL_CLIENT_SECRET');
    expect(doctorExitCode(results)).toBe(1);
  });

  it('names an unknown client id (OAU-153) at both endpoints', async () => {
    const { byName } = await doctor({ clientId: 'someone-else' });

    expect(byName('Authorization request')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('OAU-153'),
    });
    expect(byName('Client credentials')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('OAU-153'),
    });
  });

  it('says the app is not set up for the authorization code flow (unauthorized_client, OAU-251)', async () => {
    const { byName } = await doctor({ grants: ['refresh_token'] });

    expect(byName('Authorization request')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('unauthorized_client'),
    });
    expect(byName('Client credentials')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('OAU-251'),
    });
    expect(byName('Client credentials').fix).toContain('3-legged OAuth flow authorization code');
  });

  it('catches a redirect URI that is not registered exactly (OAU-109)', async () => {
    const { byName } = await doctor({ redirectUris: [`${APP}/oauth/callback/`] });

    expect(byName('Authorization request')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('OAU-109'),
    });
    expect(byName('Authorization request').fix).toContain('exactly');
  });

  it('catches an app with no redirect URI at all (OAU-113)', async () => {
    const { byName } = await doctor({ redirectUris: [] });

    expect(byName('Authorization request')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('OAU-113'),
    });
    expect(byName('Client credentials')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('OAU-113'),
    });
  });

  it('reports a rate limit with the wait time', async () => {
    const { byName } = await doctor({}, {}, { rateLimits: { auth: 1 } });

    expect(byName('Authorization request').status).toBe('pass');
    expect(byName('Client credentials')).toMatchObject({
      status: 'fail',
      fix: 'Wait 60 s and run the doctor again.',
    });
  });

  it('says RingCentral cannot be reached and skips the checks that need it', async () => {
    const { results, byName } = await doctor({}, { RINGCENTRAL_SERVER_URL: 'http://127.0.0.1:9' });

    expect(byName('RingCentral reachable').status).toBe('fail');
    expect(results.slice(-2).map((r) => r.status)).toEqual(['skip', 'skip']);
    expect(doctorExitCode(results)).toBe(1);
  });

  it('rejects a server URL with a path, the classic "/restapi/oauth/authorize as server URL"', async () => {
    const { byName } = await doctor(
      {},
      { RINGCENTRAL_SERVER_URL: 'https://platform.ringcentral.com/restapi/oauth/authorize' },
    );

    expect(byName('RingCentral server URL')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('https://platform.ringcentral.com'),
    });
    expect(byName('RingCentral reachable').status).toBe('skip'); // nothing sent off this machine
  });

  it('rejects a redirect URI on another site than BASE_URL', async () => {
    const { byName } = await doctor(
      {},
      { BASE_URL: 'http://localhost:3000', RINGCENTRAL_REDIRECT_URI: 'http://127.0.0.1:3000/oauth/callback' },
    );

    expect(byName('Redirect URI')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('another site'),
    });
  });

  it('wants https in production', async () => {
    const { byName } = await doctor(
      {},
      { NODE_ENV: 'production', BASE_URL: 'http://signin.example.com', SESSION_STORE: 'memory' },
    );

    expect(byName('Redirect URI')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('not https in production'),
    });
  });

  it('flags a guessable session secret', async () => {
    const { byName } = await doctor({}, { SESSION_SECRET: 'changeme-changeme-changeme-changeme' });

    expect(byName('Session secret').status).toBe('fail');
  });

  it('lists every missing production setting and skips the rest', async () => {
    const results = await runDoctor({ NODE_ENV: 'production' });

    expect(results[0]).toMatchObject({ name: 'Settings', status: 'fail' });
    expect(results[0]?.message).toContain('BASE_URL is required in production');
    expect(results[0]?.message).toContain('SESSION_SECRET is required in production');
    expect(results[0]?.message).toContain('SESSION_STORE is required in production');
    expect(results.slice(1).every((r) => r.status === 'skip')).toBe(true);
  });

  it('explains that without credentials the app runs the demo', async () => {
    const results = await runDoctor({});

    expect(results[0]).toMatchObject({ status: 'fail', message: expect.stringContaining('demo') });
    expect(doctorExitCode(results)).toBe(1);
  });

  it('reports checks it could not run as not run, and names the one thing to set first', async () => {
    const report = formatReport(await runDoctor({}));

    expect(report).toContain('SKIP  Redirect URI: not run');
    expect(report).toContain('1 of 7 checks failed, 6 not run until it passes.');
    expect(report).toContain('First: Copy the Client ID and Client Secret');
    expect(report).not.toContain('7 of 7');
  });
});
