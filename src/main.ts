// Entry point (`npm start`): read the environment once, then run against RingCentral, or the demo with the
// built-in emulator when no credentials are set outside production.
import { config as loadDotenv } from 'dotenv';
import { isDemoMode, loadConfig } from './config.js';
import { ConfigError } from './errors/app-error.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';

async function main(): Promise<void> {
  // Fills only variables not already set; a missing .env is fine.
  loadDotenv({ quiet: true });
  const env = process.env;
  if (isDemoMode(env)) {
    const { startDemo } = await import('./demo.js');
    return startDemo(env);
  }
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel);
  await startServer(config, logger);
  const { serverUrl, clientId, redirectUri } = config.ringcentral;
  logger.info({ url: config.baseUrl, ringcentral: serverUrl, redirectUri }, 'listening');
  // A person at a terminal gets a few lines saying where to go; in production the log line above is enough.
  if (config.env !== 'production')
    process.stdout.write(banner(config.baseUrl, serverUrl, clientId, redirectUri));
}

/** Where to go, and what to register: never the client secret. */
function banner(appUrl: string, serverUrl: string, clientId: string, redirectUri: string): string {
  const line = '─'.repeat(72);
  return [
    line,
    `  Open ${appUrl} and click "Sign in with RingCentral".`,
    '',
    `  RingCentral: ${serverUrl}, app (client id) ${clientId}`,
    `  Redirect URI to register in the app's settings, exactly: ${redirectUri}`,
    '  `npm run doctor` checks the setup. Stop with Ctrl+C.',
    line,
    '',
  ].join('\n');
}

main().catch((error: unknown) => {
  // Before a logger exists, or when start-up itself failed: say what to fix, plainly, and exit 1.
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\nSee .env.example for every setting.\n`);
  } else if ((error as { code?: unknown }).code === 'EADDRINUSE') {
    process.stderr.write(
      `The port is already in use: ${(error as Error).message}. Set PORT to a free port.\n`,
    );
  } else {
    process.stderr.write(`Start-up failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
});
