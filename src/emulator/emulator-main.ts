// `npm run emulator`: the emulator on its own, on 127.0.0.1:EMULATOR_PORT (default 3001), with one app
// registered from the same settings the app reads, so one .env serves both. The EMULATOR_* settings
// register the app *wrongly* on purpose, to see each misconfiguration on the error page and in the doctor.
import { randomBytes } from 'node:crypto';
import { config as loadDotenv } from 'dotenv';
import type { GrantType } from './emulator-store.js';
import { DEMO_USERS, loadTestUsers, type EmulatorOptions } from './emulator-app.js';
import { describeEmulatorEnv, list, readEmulatorEnv } from './emulator-env.js';
import { startEmulator } from './start-emulator.js';

const GRANTS: readonly GrantType[] = ['authorization_code', 'refresh_token'];
const LOAD_TEST_USERS = 100;

async function main() {
  loadDotenv({ quiet: true });
  const env = process.env;
  const port = Number(env['EMULATOR_PORT'] || 3001);
  const appBaseUrl = (env['BASE_URL'] || `http://localhost:${env['PORT'] || 3000}`).replace(/\/+$/, '');
  const clientId = env['RINGCENTRAL_CLIENT_ID'] || 'emulator-app';
  // What the emulator expects may differ from what the app sends: that is how a wrong secret is tried.
  const clientSecret =
    env['EMULATOR_CLIENT_SECRET'] ||
    env['RINGCENTRAL_CLIENT_SECRET'] ||
    randomBytes(24).toString('base64url');
  const generated = !env['EMULATOR_CLIENT_SECRET'] && !env['RINGCENTRAL_CLIENT_SECRET'];
  const redirectUris = list(env['EMULATOR_REDIRECT_URIS']) ?? [
    env['RINGCENTRAL_REDIRECT_URI'] || `${appBaseUrl}/oauth/callback`,
  ];
  const grants = (list(env['EMULATOR_GRANTS']) ?? GRANTS).filter((grant): grant is GrantType =>
    GRANTS.includes(grant as GrantType),
  );
  const settings = readEmulatorEnv(env);
  const emulator = await startEmulator(
    {
      clients: [
        {
          clientId,
          clientSecret,
          redirectUris,
          grants,
          permissions: settings.permissions,
          issueRefreshTokens: settings.issueRefreshTokens,
        },
      ],
      rateLimits: settings.rateLimits,
      lifetimes: settings.lifetimes,
      // EMULATOR_AUTO_APPROVE: no consent page, as for users who already approved. An extension id (or a
      // comma-separated list, taken in turn), or "load": 100 generated users in turn, for load tests.
      ...autoApprove(env['EMULATOR_AUTO_APPROVE']),
    },
    port,
    // EMULATOR_HOST=0.0.0.0 only inside a container, for the other containers of its private network (the
    // compose test runs it so); on a machine, the default keeps it on loopback.
    env['EMULATOR_HOST'] || '127.0.0.1',
  );
  process.stdout.write(
    [
      '─'.repeat(72),
      `  RingCentral EMULATOR (not RingCentral) at ${emulator.baseUrl}`,
      `  Registered app: client id "${clientId}"`,
      `    redirect URIs: ${redirectUris.length === 0 ? '(none)' : redirectUris.join(', ')}`,
      `    grants: ${grants.join(', ') || '(none)'}`,
      `    ${describeEmulatorEnv(settings)}`,
      generated
        ? `    client secret (generated for this run): ${clientSecret}`
        : '    client secret: from EMULATOR_CLIENT_SECRET or RINGCENTRAL_CLIENT_SECRET',
      '  Point the app at it with all three (with no credentials, `npm start` runs its own demo instead):',
      `    RINGCENTRAL_SERVER_URL=${emulator.baseUrl} RINGCENTRAL_CLIENT_ID=${clientId} RINGCENTRAL_CLIENT_SECRET=${generated ? clientSecret : '<your secret>'}`,
      '─'.repeat(72),
      '',
    ].join('\n'),
  );
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop).once('SIGTERM', stop);
}

function autoApprove(value: string | undefined): Pick<EmulatorOptions, 'users' | 'autoApproveUserIds'> {
  if (value === undefined || value.trim() === '') return {};
  if (value.trim() !== 'load') return { autoApproveUserIds: list(value) ?? [] };
  const users = loadTestUsers(LOAD_TEST_USERS);
  return { users: [...DEMO_USERS, ...users], autoApproveUserIds: users.map((user) => user.extensionId) };
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Emulator failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
