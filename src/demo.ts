// Demo mode: no RingCentral account needed. Starts the built-in emulator on loopback, registers a demo app
// in it with this app's redirect URI and a throw-away secret, and points the app at it.
import { randomBytes } from 'node:crypto';
import { loadConfig } from './config.js';
import { describeEmulatorEnv, readEmulatorEnv } from './emulator/emulator-env.js';
import { startEmulator } from './emulator/start-emulator.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';

const DEMO_CLIENT_ID = 'demo-app';

export async function startDemo(env: Record<string, string | undefined>): Promise<void> {
  // RingCentral's behaviour, with the app registered as the quick start registers it; EMULATOR_* settings
  // change that (shorter token lifetimes to watch an automatic refresh, fewer permissions, no refresh tokens).
  const settings = readEmulatorEnv(env);
  const emulator = await startEmulator(
    { clients: [], rateLimits: settings.rateLimits, lifetimes: settings.lifetimes },
    Number(env['EMULATOR_PORT'] || 0),
  );
  const config = loadConfig({
    ...env,
    // Quiet by default so the banner stays readable; LOG_LEVEL=info shows one line per request.
    LOG_LEVEL: env['LOG_LEVEL'] || 'warn',
    RINGCENTRAL_SERVER_URL: emulator.baseUrl,
    RINGCENTRAL_CLIENT_ID: DEMO_CLIENT_ID,
    RINGCENTRAL_CLIENT_SECRET: randomBytes(24).toString('base64url'),
    // A demo session lives as long as the process; an explicit SESSION_SECRET is still honoured.
    SESSION_SECRET: env['SESSION_SECRET'] || randomBytes(32).toString('base64url'),
  });
  emulator.store.setClient({
    clientId: config.ringcentral.clientId,
    clientSecret: config.ringcentral.clientSecret,
    redirectUris: [config.ringcentral.redirectUri],
    grants: ['authorization_code', 'refresh_token'],
    permissions: settings.permissions,
    issueRefreshTokens: settings.issueRefreshTokens,
  });
  const logger = createLogger(config.logLevel);
  await startServer(config, logger, {
    host: '127.0.0.1',
    onShutdown: () => emulator.close(),
    demoEmulatorUrl: emulator.baseUrl,
  });
  process.stdout.write(banner(config.baseUrl, emulator.baseUrl, describeEmulatorEnv(settings)));
}

function banner(appUrl: string, emulatorUrl: string, emulated: string): string {
  const line = '─'.repeat(72);
  return [
    line,
    '  DEMO MODE: no RingCentral credentials set, so a built-in RingCentral emulator is used.',
    '',
    `  Open ${appUrl} and click "Sign in with RingCentral".`,
    '',
    `  Emulator (not RingCentral): ${emulatorUrl}`,
    `    ${emulated}`,
    '  To use real RingCentral, set RINGCENTRAL_CLIENT_ID and RINGCENTRAL_CLIENT_SECRET (see README).',
    '  Stop with Ctrl+C.',
    line,
    '',
  ].join('\n');
}
