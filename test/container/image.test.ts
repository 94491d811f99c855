// The image built from the Dockerfile, run as an operator runs it: production settings, `podman stop`,
// the HEALTHCHECK, and a full sign-in from inside the container against the emulator on the host.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { RELAXED_RATE_LIMITS } from '../../src/emulator/emulator-rate-limit';
import { startEmulator, type RunningEmulator } from '../../src/emulator/start-emulator';
import { freePort } from '../helpers/free-port';
import { decide, pathOf, startLogin } from '../helpers/sign-in';
import { IMAGE, podman, podmanAsync, until } from './podman';
import { strongSessionSecret } from '../helpers/test-config';

const ROOT = path.join(__dirname, '..', '..');
const CLIENT = { clientId: 'container-app', clientSecret: 'container-test-client-secret-0123456789' };
const NAME = `rcapp-test-${process.pid}`;

let emulator: RunningEmulator;
let appUrl: string;

beforeAll(async () => {
  const port = await freePort();
  appUrl = `http://127.0.0.1:${port}`;
  emulator = await startEmulator({ clients: [], rateLimits: RELAXED_RATE_LIMITS });
  emulator.store.setClient({
    ...CLIENT,
    redirectUris: [`${appUrl}/oauth/callback`],
    grants: ['authorization_code', 'refresh_token'],
    issueRefreshTokens: true,
    permissions: ['ReadAccounts', 'ReadCallLog'],
  });
  // The host's network: the container reaches the emulator on 127.0.0.1, and listens on 127.0.0.1 itself.
  podman(
    'run',
    '-d',
    '--name',
    NAME,
    '--network=host',
    '-e',
    `PORT=${port}`,
    '-e',
    'HOST=127.0.0.1',
    '-e',
    `BASE_URL=${appUrl}`,
    '-e',
    `RINGCENTRAL_SERVER_URL=${emulator.baseUrl}`,
    '-e',
    `RINGCENTRAL_CLIENT_ID=${CLIENT.clientId}`,
    '-e',
    `RINGCENTRAL_CLIENT_SECRET=${CLIENT.clientSecret}`,
    '-e',
    `SESSION_SECRET=${strongSessionSecret()}`,
    '-e',
    'SESSION_STORE=memory',
    IMAGE,
  );
  await until(async () => (await fetch(`${appUrl}/healthz`)).ok, 20_000, 'the container to answer /healthz');
});
afterAll(async () => {
  podman('rm', '-f', '--ignore', NAME);
  await emulator?.close();
});

describe('the image, running', () => {
  it('answers /healthz and /readyz with production settings', async () => {
    await request(appUrl).get('/healthz').expect(200);
    await request(appUrl).get('/readyz').expect(200);
    expect(podman('exec', NAME, 'printenv', 'NODE_ENV')).toBe('production');
  });

  it('runs node as PID 1, as a non-root user', () => {
    const cmdline = podman('exec', NAME, 'cat', '/proc/1/cmdline').split('\0').filter(Boolean);
    const uid = /^Uid:\s+(\d+)/m.exec(podman('exec', NAME, 'cat', '/proc/1/status'))?.[1];

    expect(cmdline).toEqual(['node', 'dist/main.js']);
    expect(uid).toBe('1000');
  });

  it('has its HEALTHCHECK in the image, and the check passes', () => {
    const healthcheck = JSON.parse(
      podman('image', 'inspect', '--format', '{{json .Config.Healthcheck}}', IMAGE),
    ) as {
      Test: string[];
    };

    expect(healthcheck.Test).toEqual(['CMD', 'node', 'dist/healthcheck.js']);
    // Podman 4.3 schedules health checks through systemd, absent here: run it on demand instead.
    expect(() => podman('healthcheck', 'run', NAME)).not.toThrow();
  });

  it('signs in from inside the container and shows the dashboard', async () => {
    const agent = request.agent(appUrl);

    const callbackUrl = await decide(await startLogin(agent), 'approve');
    await agent.get(pathOf(callbackUrl)).expect(303);
    const dashboard = await agent.get('/').expect(200);
    const callLog = await agent.get('/api/call-log').expect(200);

    expect(dashboard.text).toContain('Signed in as Ada Lovelace');
    expect(callLog.text).toContain('57 calls');
  });

  it('stops on SIGTERM in under 5 s with exit code 0, after answering the request in flight', async () => {
    const agent = request.agent(appUrl);
    const callbackUrl = await decide(await startLogin(agent), 'approve');
    emulator.faults.failNext('token', { kind: 'delay', ms: 1_500 });
    const tokenCalls = () => emulator.requests.filter((r) => r.path === '/restapi/oauth/token').length;
    const before = tokenCalls();

    const inFlight = agent.get(pathOf(callbackUrl)).then((response) => response.status);
    await until(
      () => Promise.resolve(tokenCalls() > before),
      5_000,
      'the code exchange to reach the emulator',
    );
    const started = Date.now();
    await podmanAsync('stop', '--time', '10', NAME);
    const stoppedInMs = Date.now() - started;

    expect(await inFlight).toBe(303);
    expect(stoppedInMs).toBeLessThan(5_000);
    expect(podman('inspect', '--format', '{{.State.ExitCode}}', NAME)).toBe('0');
    report({ stopSeconds: stoppedInMs / 1000 });
  });
});

describe('the image, as files', () => {
  const inImage = (script: string) => podman('run', '--rm', '--entrypoint', 'sh', IMAGE, '-c', script);

  it('holds no .env, no tests, no TypeScript sources and no development dependency', () => {
    const devDependencies = Object.keys(
      (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { devDependencies: object })
        .devDependencies,
    );

    const files = inImage('ls -A /app').split('\n');
    const presentDevDependencies = inImage(
      `cd /app/node_modules && for name in ${devDependencies.join(' ')}; do [ -e "$name" ] && echo "$name"; done; true`,
    );
    const typescript = inImage(
      "find /app -name '*.ts' -not -name '*.d.ts' -not -path '*/node_modules/*' | head -5",
    );

    expect(files.sort()).toEqual(['dist', 'node_modules', 'package.json', 'public', 'views']);
    expect(devDependencies.length).toBeGreaterThan(10);
    expect(presentDevDependencies).toBe('');
    expect(typescript).toBe('');
  });

  it('reports its size', () => {
    const bytes = Number(podman('image', 'inspect', '--format', '{{.Size}}', IMAGE));

    report({ imageBytes: bytes, imageMegabytes: Math.round(bytes / 1e6) });
    // The base (Debian slim + Node) is about 220 MB; the app adds its production dependencies.
    expect(bytes).toBeLessThan(350e6);
  });
});

/** Figures for the CI log and the README: test-output/container-report.json. */
function report(figures: Record<string, number>) {
  const file = path.join(ROOT, 'test-output', 'container-report.json');
  mkdirSync(path.dirname(file), { recursive: true });
  let current: Record<string, number> = {};
  try {
    current = JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>;
  } catch {
    // first figure of the run
  }
  writeFileSync(file, `${JSON.stringify({ ...current, ...figures }, null, 2)}\n`);
}
