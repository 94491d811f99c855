// `npm run doctor`: checks the configuration and the app's registration at RingCentral without a browser,
// and says what to change. Returns results instead of printing, so tests can run it in-process.
import { isDemoMode, loadConfig, type Config } from '../config.js';
import { ConfigError } from '../errors/app-error.js';
import { createRingCentralClient } from '../ringcentral/ringcentral-client.js';
import {
  checkAuthorizationRequest,
  checkClientCredentials,
  checkReachable,
  checkRedirectUri,
  checkServerUrl,
  checkSessionSecret,
  noteSettingsOnlyATokenShows,
  type CheckResult,
} from './doctor-checks.js';

export type { CheckResult };

const NETWORK_CHECKS = ['RingCentral reachable', 'Authorization request', 'Client credentials'];

export async function runDoctor(env: Record<string, string | undefined>): Promise<CheckResult[]> {
  const settings = checkSettings(env);
  if (settings.config === undefined) {
    return [
      settings.result,
      ...['RingCentral server URL', 'Redirect URI', 'Session secret', ...NETWORK_CHECKS].map(skipped),
    ];
  }
  const config = settings.config;
  const local = [
    settings.result,
    checkServerUrl(config),
    checkRedirectUri(config),
    checkSessionSecret(config, (env['SESSION_SECRET'] ?? '').trim() !== ''),
  ];
  // A malformed server URL is not worth calling; an unreachable server is not worth probing further.
  if (local[1]?.status === 'fail') return [...local, ...NETWORK_CHECKS.map(skipped)];
  const client = createRingCentralClient(config.ringcentral);
  const reachable = await checkReachable(config, client);
  if (reachable.status === 'fail') return [...local, reachable, ...NETWORK_CHECKS.slice(1).map(skipped)];
  return [
    ...local,
    reachable,
    await checkAuthorizationRequest(config, client),
    await checkClientCredentials(client),
    noteSettingsOnlyATokenShows(),
  ];
}

function checkSettings(env: Record<string, string | undefined>): { result: CheckResult; config?: Config } {
  const name = 'Settings';
  if (isDemoMode(env)) {
    return {
      result: {
        name,
        status: 'fail',
        message:
          'RINGCENTRAL_CLIENT_ID and RINGCENTRAL_CLIENT_SECRET are not set, so `npm start` runs the demo against the built-in emulator.',
        fix: "Copy the Client ID and Client Secret from the app's Credentials page in the RingCentral developer console into .env.",
      },
    };
  }
  try {
    const config = loadConfig(env);
    return {
      result: {
        name,
        status: 'pass',
        message: `every setting present and well-formed (client id ${config.ringcentral.clientId})`,
      },
      config,
    };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return {
      result: {
        name,
        status: 'fail',
        message: error.problems.join('; '),
        fix: 'Set these in the environment or .env (see .env.example).',
      },
    };
  }
}

function skipped(name: string): CheckResult {
  return { name, status: 'skip', message: 'not run: it needs the failed check above to pass first' };
}

/** Notes are not checks: they neither pass nor fail. */
const checksOf = (results: readonly CheckResult[]) => results.filter((result) => result.status !== 'note');

/** 0 only when every check passed. */
export function doctorExitCode(results: readonly CheckResult[]): number {
  return checksOf(results).every((result) => result.status === 'pass') ? 0 : 1;
}

/** Plain text, one line per check and its fix: for a terminal or a CI log. */
export function formatReport(results: readonly CheckResult[]): string {
  const lines = ['RingCentral sign-in doctor', ''];
  for (const result of results) {
    lines.push(`${result.status.toUpperCase().padEnd(4)}  ${result.name}: ${result.message}`);
    if (result.fix !== undefined) lines.push(`      fix: ${result.fix}`);
  }
  const checks = checksOf(results);
  const failed = checks.filter((result) => result.status === 'fail');
  const skippedCount = checks.filter((result) => result.status === 'skip').length;
  if (failed.length === 0) lines.push('', `All ${checks.length} checks passed.`);
  else {
    const notRun = skippedCount === 0 ? '' : `, ${skippedCount} not run until it passes`;
    lines.push('', `${failed.length} of ${checks.length} checks failed${notRun}.`);
    // The one thing to do first: later checks often fail only because of it.
    const first = failed[0];
    if (first?.fix !== undefined) lines.push(`First: ${first.fix}`);
  }
  return `${lines.join('\n')}\n`;
}
