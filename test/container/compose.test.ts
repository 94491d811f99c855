// deploy/docker-compose.yml brought up for real with podman-compose: nginx over TLS in front of two app
// replicas sharing Redis, with the emulator as RingCentral. Published on 127.0.0.1 only.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { freePort } from '../helpers/free-port';
import { makeSelfSignedCertificate } from '../deploy/helpers/processes';
import { decide, pathOf } from '../helpers/sign-in';
import { podman, podmanCompose, until } from './podman';
import { strongSessionSecret } from '../helpers/test-config';

const ROOT = path.join(__dirname, '..', '..');
const DEPLOY = path.join(ROOT, 'deploy');
const PROJECT = `rcapp-test-${process.pid}`;
const FILES = ['-f', 'docker-compose.yml', '-f', path.join(__dirname, 'compose.test.yml')];

let baseUrl: string;
let emulatorUrl: string;
let certificate: string;
let composeEnv: Record<string, string>;

const compose = (...args: string[]) => podmanCompose(DEPLOY, composeEnv, '-p', PROJECT, ...FILES, ...args);
const containers = () =>
  podman('ps', '-a', '--filter', `label=io.podman.compose.project=${PROJECT}`, '--format', '{{.Names}}');

beforeAll(async () => {
  const [nginxPort, emulatorPort] = [await freePort(), await freePort()];
  baseUrl = `https://localhost:${nginxPort}`;
  emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
  composeEnv = { NGINX_PUBLISH: `127.0.0.1:${nginxPort}`, EMULATOR_PUBLISH: `127.0.0.1:${emulatorPort}` };
  // What an operator puts beside the compose file: settings and a certificate for the host name.
  writeFileSync(
    path.join(DEPLOY, '.env'),
    [
      `BASE_URL=${baseUrl}`,
      'RINGCENTRAL_SERVER_URL=http://emulator:3001',
      'RINGCENTRAL_CLIENT_ID=compose-app',
      // Made now, as an operator's would be; the emulator service reads the same file.
      `RINGCENTRAL_CLIENT_SECRET=${randomBytes(24).toString('base64url')}`,
      `SESSION_SECRET=${strongSessionSecret()}`,
      '',
    ].join('\n'),
  );
  mkdirSync(path.join(DEPLOY, 'certs'), { recursive: true });
  makeSelfSignedCertificate(
    path.join(DEPLOY, 'certs', 'fullchain.pem'),
    path.join(DEPLOY, 'certs', 'privkey.pem'),
  );
  certificate = readFileSync(path.join(DEPLOY, 'certs', 'fullchain.pem'), 'utf8');

  compose('up', '-d');
  flushNeighbourCaches();
  await until(
    async () => (await request(baseUrl).get('/readyz').ca(certificate)).status === 200,
    60_000,
    'nginx and an app replica to answer /readyz',
  );
});
afterAll(() => {
  try {
    compose('down', '-v');
    podman('network', 'rm', '--force', `${PROJECT}_default`);
  } finally {
    rmSync(path.join(DEPLOY, '.env'), { force: true });
    rmSync(path.join(DEPLOY, 'certs'), { recursive: true, force: true });
  }
});

/**
 * netavark changes the compose bridge's MAC address as containers join it; containers started earlier keep
 * the old one in their ARP cache for up to ~40 s and cannot reach each other through it meanwhile
 * (container-build.md). Flushing each container's neighbour cache after `up` avoids 504s at start.
 */
function flushNeighbourCaches() {
  for (const name of containers().split('\n').filter(Boolean)) {
    const pid = podman('inspect', '--format', '{{.State.Pid}}', name);
    if (pid !== '0')
      execFileSync('nsenter', ['-n', '-t', pid, 'ip', 'neigh', 'flush', 'all'], { stdio: 'ignore' });
  }
}

describe('docker-compose.yml with podman-compose', () => {
  it('signs in through nginx over TLS, with the emulator as RingCentral', async () => {
    const agent = request.agent(baseUrl).ca(certificate);

    const login = await agent.get('/login').expect(302);
    // The app sends the browser to RingCentral's URL as the app knows it (http://emulator:3001); from the host,
    // the same service answers on its published port.
    const authorize = new URL(login.headers['location'] as string);
    expect(authorize.origin).toBe('http://emulator:3001');
    const callback = await decide(
      new URL(`${emulatorUrl}${authorize.pathname}${authorize.search}`),
      'approve',
    );
    expect(callback.origin).toBe(baseUrl);
    await agent.get(pathOf(callback)).expect(303);
    const dashboard = await agent.get('/').expect(200);

    expect(dashboard.text).toContain('Signed in as Ada Lovelace');
    expect(String(login.headers['set-cookie'])).toMatch(/^__Secure-rcapp\.login\./);
  });

  it('serves the signed-in session from both replicas, and keeps it in Redis', async () => {
    const agent = request.agent(baseUrl).ca(certificate);
    const login = await agent.get('/login').expect(302);
    const authorize = new URL(login.headers['location'] as string);
    await agent.get(
      pathOf(await decide(new URL(`${emulatorUrl}${authorize.pathname}${authorize.search}`), 'approve')),
    );

    const pages = await Promise.all(Array.from({ length: 10 }, () => agent.get('/')));
    const requestIds = pages.map((page) => String(page.headers['x-request-id']));
    const servedBy = (replica: string) => {
      const log = podman('logs', `${PROJECT}_${replica}_1`);
      return requestIds.filter((id) => log.includes(id)).length;
    };

    for (const page of pages) expect(page.text).toContain('Signed in as Ada Lovelace');
    expect([servedBy('app1') > 0, servedBy('app2') > 0]).toEqual([true, true]);
    expect(servedBy('app1') + servedBy('app2')).toBe(10);
    const keys = podman('exec', `${PROJECT}_redis_1`, 'redis-cli', '--scan', '--pattern', 'rcapp:sess:*');
    expect(keys.split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(2);
  });

  it('removes every container and volume it made on down; the network goes with one more command', () => {
    compose('down', '-v');
    const leftNetworks = podman(
      'network',
      'ls',
      '--filter',
      `label=io.podman.compose.project=${PROJECT}`,
      '-q',
    );
    // podman-compose 1.0 leaves the project's network behind (docker compose removes it): the README's
    // Podman commands remove it by name.
    podman('network', 'rm', '--force', `${PROJECT}_default`);

    expect(containers()).toBe('');
    expect(podman('volume', 'ls', '--filter', `label=io.podman.compose.project=${PROJECT}`, '-q')).toBe('');
    expect(leftNetworks.split('\n').filter(Boolean)).toEqual([`${PROJECT}_default`]);
    expect(podman('network', 'ls', '--filter', `label=io.podman.compose.project=${PROJECT}`, '-q')).toBe('');
  });
});
