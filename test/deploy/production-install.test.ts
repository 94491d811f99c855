// The Dockerfile's runtime steps, outside Docker: a clean copy of the built output, production
// dependencies only (`npm ci --omit=dev`), started as a non-root user, and the HEALTHCHECK command passes.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../helpers/free-port';
import { startAppProcess, type AppProcess } from './helpers/processes';

const ROOT = path.join(__dirname, '..', '..');

describe('the production install (what the image runs)', () => {
  let dir: string;
  let app: AppProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'rcapp-prod-'));
    chmodSync(dir, 0o755);
    for (const item of ['package.json', 'package-lock.json', 'dist', 'views', 'public']) {
      cpSync(path.join(ROOT, item), path.join(dir, item), { recursive: true });
    }
    execFileSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--ignore-scripts'], {
      cwd: dir,
      stdio: 'ignore',
    });
    execFileSync('chmod', ['-R', 'a+rX', dir]);
    const env = {
      NODE_ENV: 'production',
      BASE_URL: 'https://signin.example.test',
      SESSION_SECRET: 'production-install-test-secret-0123456789',
      SESSION_STORE: 'memory',
      RINGCENTRAL_CLIENT_ID: 'id',
      RINGCENTRAL_CLIENT_SECRET: 'secret',
    };
    // As the image's `USER node`: an unprivileged user (when the suite itself runs as root, as in CI).
    const asUser =
      process.getuid?.() === 0 ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups'] : [];
    app = await startAppProcess(await freePort(), env, {
      cwd: dir,
      command: [...asUser, 'node', 'dist/main.js'],
    });
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has no development dependency installed', () => {
    const installed = readdirSync(path.join(dir, 'node_modules'));

    expect(installed).toContain('express');
    for (const devOnly of ['typescript', 'jest', 'eslint', 'ts-jest', 'supertest'])
      expect(installed).not.toContain(devOnly);
  });

  it('runs as a non-root user', () => {
    const user = execFileSync('ps', ['-o', 'user=', '-p', String(app.child.pid)])
      .toString()
      .trim();

    expect(user).not.toBe('root');
    expect(user).not.toBe('');
  });

  it('passes the HEALTHCHECK command (node dist/healthcheck.js)', () => {
    const run = () =>
      execFileSync('node', ['dist/healthcheck.js'], {
        cwd: dir,
        env: { PATH: process.env['PATH'], PORT: String(app.port) },
      });

    expect(run).not.toThrow();
  });

  it('refuses to start in production until the session store is chosen, and says how', () => {
    const run = spawnSync('node', ['dist/main.js'], {
      cwd: dir,
      env: {
        PATH: process.env['PATH'],
        NODE_ENV: 'production',
        PORT: '0',
        BASE_URL: 'https://signin.example.test',
        SESSION_SECRET: 'production-install-test-secret-0123456789',
        RINGCENTRAL_CLIENT_ID: 'id',
        RINGCENTRAL_CLIENT_SECRET: 'secret',
      },
      encoding: 'utf8',
      timeout: 20_000,
    });

    expect(run.status).not.toBe(0);
    expect(run.status).not.toBeNull();
    expect(run.stdout + run.stderr).toContain(
      'SESSION_STORE is required in production: redis (with REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES) to share sessions between instances, or memory for a single instance',
    );
  });

  it('fails the HEALTHCHECK command when nothing listens', () => {
    const run = () =>
      execFileSync('node', ['dist/healthcheck.js'], {
        cwd: dir,
        env: { PATH: process.env['PATH'], PORT: '9' },
        stdio: 'ignore',
      });

    expect(run).toThrow();
  });
});
