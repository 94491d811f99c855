// `npm run emulator`: the emulator on its own, on 127.0.0.1:EMULATOR_PORT (default 3001), with one app
// registered from the same settings the app reads, so one .env serves both.
import { randomBytes } from 'node:crypto';
import { config as loadDotenv } from 'dotenv';
import { startEmulator } from './start-emulator.js';

async function main() {
  loadDotenv({ quiet: true });
  const env = process.env;
  const port = Number(env['EMULATOR_PORT'] || 3001);
  const appBaseUrl = (env['BASE_URL'] || `http://localhost:${env['PORT'] || 3000}`).replace(/\/+$/, '');
  const clientId = env['RINGCENTRAL_CLIENT_ID'] || 'emulator-app';
  const generated = !env['RINGCENTRAL_CLIENT_SECRET'];
  const clientSecret = env['RINGCENTRAL_CLIENT_SECRET'] || randomBytes(24).toString('base64url');
  const redirectUri = env['RINGCENTRAL_REDIRECT_URI'] || `${appBaseUrl}/oauth/callback`;
  const emulator = await startEmulator(
    {
      clients: [
        {
          clientId,
          clientSecret,
          redirectUris: [redirectUri],
          grants: ['authorization_code', 'refresh_token'],
        },
      ],
    },
    port,
  );
  process.stdout.write(
    [
      '─'.repeat(72),
      `  RingCentral EMULATOR (not RingCentral) at ${emulator.baseUrl}`,
      `  Registered app: client id "${clientId}", redirect URI ${redirectUri}`,
      generated
        ? `  Client secret (generated for this run): ${clientSecret}`
        : '  Client secret: the RINGCENTRAL_CLIENT_SECRET from your environment',
      `  Point the app at it with RINGCENTRAL_SERVER_URL=${emulator.baseUrl}`,
      '─'.repeat(72),
      '',
    ].join('\n'),
  );
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop).once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Emulator failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
