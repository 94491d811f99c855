// `npm run bench`: every scenario at 50 connections, each figure beside baselines measured in the same run
// (our machines are shared and noisy, so only ratios travel). Servers run in their own processes; the load
// comes from this one. Writes bench/results.json and prints a table with ratios to express-hello.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Agent, get as httpGet } from 'node:http';
import { cpus } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { freePort } from '../test/helpers/free-port';
import { startRedis, waitUntil } from '../test/deploy/helpers/redis-server';

const ROOT = path.join(__dirname, '..');
const CONNECTIONS = 50;
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const CLIENT = { RINGCENTRAL_CLIENT_ID: 'bench-app', RINGCENTRAL_CLIENT_SECRET: 'bench-client-secret' };
/** BENCH_PROFILE=<dir>: the app runs under `node --cpu-prof` and writes one .cpuprofile per app process there. */
const PROFILE_DIR = process.env['BENCH_PROFILE'];

interface Result {
  name: string;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  unit?: string;
}

const children: ChildProcess[] = [];

function start(command: string[], env: Record<string, string>): ChildProcess {
  const [bin, ...args] = command;
  const child = spawn(bin ?? 'node', args, {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: 'ignore',
  });
  children.push(child);
  return child;
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill();
  return exited;
}

async function listening(url: string) {
  await waitUntil(async () => (await fetch(url).catch(() => undefined)) !== undefined, 400);
}

async function load(name: string, url: string, headers: Record<string, string> = {}): Promise<Result> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return {
    name,
    rps: Math.round(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
  };
}

// The round trip's browser: node:http on a keep-alive pool. It shares the 2 cores with the app and the emulator,
// and fetch() costs several times more CPU per request, which would count against the app.
const browser = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });

interface Answer {
  status: number;
  location: string;
  cookie: string;
  body: string;
}

function get(url: string, cookie = ''): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpGet(url, { agent: browser, headers: cookie ? { cookie } : {} }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          location: response.headers.location ?? '',
          cookie: (response.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '',
          body,
        }),
      );
    });
    request.on('error', reject);
  });
}

/** /login → emulator (auto-approve) → /oauth/callback: the cookie of a signed-in session. */
async function signIn(appUrl: string): Promise<string> {
  const login = await get(`${appUrl}/login`);
  const authorize = await get(login.location);
  const callback = await get(authorize.location, login.cookie);
  if (callback.status !== 303) throw new Error(`sign-in failed: ${callback.status}`);
  return callback.cookie;
}

/** Whole sign-ins per second: 50 workers each signing in and opening the dashboard, again and again. */
async function signInRoundTrips(appUrl: string): Promise<Result> {
  const durations: number[] = [];
  const stopAt = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < stopAt) {
        const started = performance.now();
        const cookie = await signIn(appUrl);
        const dashboard = await get(`${appUrl}/`, cookie);
        if (!dashboard.body.includes('Signed in as')) throw new Error('round trip did not end signed in');
        durations.push(performance.now() - started);
      }
    }),
  );
  durations.sort((a, b) => a - b);
  const at = (q: number) => Math.round(durations[Math.floor(q * (durations.length - 1))] ?? 0);
  return {
    name: 'signin-roundtrip',
    rps: Math.round(durations.length / SECONDS),
    p50_ms: at(0.5),
    p99_ms: at(0.99),
    unit: 'sign-ins/s',
  };
}

async function startApp(extraEnv: Record<string, string>): Promise<{ appUrl: string }> {
  const [appPort, emulatorPort] = [await freePort(), await freePort()];
  const appUrl = `http://127.0.0.1:${appPort}`;
  start(['node', 'dist/emulator/emulator-main.js'], {
    ...CLIENT,
    EMULATOR_PORT: String(emulatorPort),
    BASE_URL: appUrl,
    EMULATOR_AUTO_APPROVE: '101000001',
  });
  await listening(`http://127.0.0.1:${emulatorPort}/restapi/v1.0`);
  const profile =
    PROFILE_DIR === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${path.resolve(PROFILE_DIR)}`];
  start(['node', ...profile, 'dist/main.js'], {
    ...CLIENT,
    NODE_ENV: 'production',
    PORT: String(appPort),
    BASE_URL: appUrl,
    SESSION_SECRET: 'bench-session-secret-0123456789abcdef',
    RINGCENTRAL_SERVER_URL: `http://127.0.0.1:${emulatorPort}`,
    // Production logging (one access line per request) stays on; only the per-address sign-in limit is
    // lifted, since all the load comes from one address.
    SIGNIN_RATE_LIMIT_PER_MINUTE: '0',
    ...extraEnv,
  });
  await listening(`${appUrl}/healthz`);
  return { appUrl };
}

async function baseline(name: string, file: string, pathname = '/'): Promise<Result> {
  const port = await freePort();
  const child = start(['node', '--import', 'tsx', `bench/servers/${file}`], {
    PORT: String(port),
    NODE_ENV: 'production',
  });
  await listening(`http://127.0.0.1:${port}/`);
  let headers: Record<string, string> = {};
  if (name === 'minimal-stack') {
    const set = await fetch(`http://127.0.0.1:${port}/set`);
    headers = { cookie: (set.headers.get('set-cookie') ?? '').split(';')[0] ?? '' };
  }
  const result = await load(name, `http://127.0.0.1:${port}${pathname}`, headers);
  await stop(child);
  return result;
}

async function memory(): Promise<{ rssMb: number; maxSeen: number; max: number }> {
  const child = spawn('node', ['--expose-gc', '--import', 'tsx', 'bench/memory.ts'], { cwd: ROOT });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await new Promise((resolve) => child.once('exit', resolve));
  const [filled, overfilled] = out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, number>);
  return {
    rssMb: Math.round(filled?.['rssMb'] ?? 0),
    maxSeen: overfilled?.['maxSeen'] ?? 0,
    max: overfilled?.['max'] ?? 0,
  };
}

async function main() {
  const results: Result[] = [];
  results.push(await baseline('node-hello', 'node-hello.ts'));
  results.push(await baseline('express-hello', 'express-hello.ts'));
  results.push(await baseline('minimal-stack', 'minimal-stack.ts'));

  const { appUrl } = await startApp({});
  results.push(await load('healthz', `${appUrl}/healthz`));
  results.push(await load('landing', `${appUrl}/`));
  results.push(await load('dashboard', `${appUrl}/`, { cookie: await signIn(appUrl) }));
  const login = await autocannon({ url: `${appUrl}/login`, connections: CONNECTIONS, duration: SECONDS });
  results.push({
    name: 'login',
    rps: Math.round(login.requests.average),
    p50_ms: login.latency.p50,
    p99_ms: login.latency.p99,
  });
  results.push(await signInRoundTrips(appUrl));

  const redis = await startRedis();
  const { appUrl: redisAppUrl } = await startApp({ SESSION_STORE: 'redis', REDIS_URL: redis.url });
  results.push(await load('dashboard-redis', `${redisAppUrl}/`, { cookie: await signIn(redisAppUrl) }));
  browser.destroy();
  // SIGTERM: the app shuts down gracefully and exits, which is when node writes a CPU profile.
  await Promise.all(children.map(stop));
  await redis.destroy();

  const mem = await memory();
  report(results, mem);
}

function report(results: Result[], mem: { rssMb: number; maxSeen: number; max: number }) {
  const express = results.find((r) => r.name === 'express-hello')?.rps ?? 1;
  const minimal = results.find((r) => r.name === 'minimal-stack')?.rps ?? 1;
  const by = (name: string) => results.find((r) => r.name === name) ?? { rps: 0, p99_ms: Infinity };
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.rps}${r.unit ? ` ${r.unit}` : ''} | ${r.p50_ms} | ${r.p99_ms} | ${(r.rps / express).toFixed(2)}× |`,
  );
  const targets = [
    [
      'dashboard ≥ 0.9× minimal-stack',
      by('dashboard').rps / minimal >= 0.9,
      (by('dashboard').rps / minimal).toFixed(2),
    ],
    [
      'dashboard ≥ 0.5× express-hello',
      by('dashboard').rps / express >= 0.5,
      (by('dashboard').rps / express).toFixed(2),
    ],
    ['login ≥ 0.5× express-hello', by('login').rps / express >= 0.5, (by('login').rps / express).toFixed(2)],
    ['dashboard p99 ≤ 25 ms', by('dashboard').p99_ms <= 25, `${by('dashboard').p99_ms} ms`],
    [
      'signin-roundtrip ≥ 300 sign-ins/s',
      by('signin-roundtrip').rps >= 300,
      String(by('signin-roundtrip').rps),
    ],
    [
      'dashboard-redis ≥ 0.35× express-hello',
      by('dashboard-redis').rps / express >= 0.35,
      (by('dashboard-redis').rps / express).toFixed(2),
    ],
    ['sessions-100k-rss-mb ≤ 300', mem.rssMb <= 300, `${mem.rssMb} MB`],
    [`store count never above ${mem.max}`, mem.maxSeen <= mem.max, String(mem.maxSeen)],
  ] as const;
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, ${CONNECTIONS} connections, ${SECONDS} s per scenario`;
  const table = [
    `Machine: ${machine}`,
    '',
    '| scenario | requests/s | p50 ms | p99 ms | × express-hello |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    `| sessions-100k-rss-mb | ${mem.rssMb} MB RSS | | | |`,
    '',
    '| target | met | value |',
    '| --- | --- | --- |',
    ...targets.map(([name, met, value]) => `| ${name} | ${met ? 'yes' : '**no**'} | ${value} |`),
  ].join('\n');
  process.stdout.write(`${table}\n`);
  writeFileSync(
    path.join(__dirname, 'results.json'),
    `${JSON.stringify({ machine, scenarios: results, memory: { name: 'sessions-100k-rss-mb', rss_mb: mem.rssMb, max_count_seen: mem.maxSeen, max_sessions: mem.max }, targets: targets.map(([name, met, value]) => ({ name, met, value })) }, null, 2)}\n`,
  );
}

main().catch((error: unknown) => {
  for (const child of children) child.kill();
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
