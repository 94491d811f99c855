// `npm run bench`: every scenario at 50 connections, each figure beside baselines measured in the same run
// (our machines are shared and noisy, so only ratios travel). Servers run in their own processes; the load
// comes from this one. Writes bench/results.json and prints a table with ratios to express-hello.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, get as httpGet } from 'node:http';
import { cpus } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { freePort } from '../test/helpers/free-port';
import { startRedis, waitUntil } from '../test/deploy/helpers/redis-server';

const ROOT = path.join(__dirname, '..');
const CONNECTIONS = 50;
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
// Unmeasured load before each scenario, baselines included: V8 compiles the hot paths while it runs. Without
// it a scenario's first seconds measure the compiler (sign-ins ran 35% slower in their first 6 s than later).
const WARMUP_SECONDS = Number(process.env['BENCH_WARMUP_SECONDS'] ?? 3);
const CLIENT = { RINGCENTRAL_CLIENT_ID: 'bench-app', RINGCENTRAL_CLIENT_SECRET: 'bench-client-secret' };
/** BENCH_PROFILE=<dir>: the app runs under `node --cpu-prof` and writes one .cpuprofile per app process there. */
const PROFILE_DIR = process.env['BENCH_PROFILE'];
/** Linux's USER_HZ: /proc reports CPU time in these ticks on every architecture Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;

interface Result {
  name: string;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  unit?: string;
  /**
   * CPU time (user + system) the server process spent per request (per sign-in for the round trip), from
   * /proc. Less sensitive than requests/s to what else the shared cores are doing at that moment.
   */
  cpu_us?: number;
  /** The round trip only: CPU per sign-in of the other processes on the same cores. */
  other_cpu_us?: { emulator: number | undefined; load_generator: number };
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

/** CPU seconds a process has used so far (user + system), or undefined where /proc is not there. */
function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    // Fields 14 and 15 of /proc/<pid>/stat, counted after the command name, which may hold spaces.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Runs `work` and returns its result with the server's CPU time per unit of work done, in µs. */
async function measured<T>(server: ChildProcess, work: () => Promise<T>, units: (result: T) => number) {
  const before = cpuSeconds(server.pid);
  const result = await work();
  const after = cpuSeconds(server.pid);
  const cpu_us =
    before === undefined || after === undefined
      ? undefined
      : Math.round(((after - before) * 1e6) / Math.max(1, units(result)));
  return { result, cpu_us };
}

/** autocannon after an unmeasured warm-up run against the same URL. */
async function drive(url: string, server: ChildProcess, headers: Record<string, string> = {}) {
  if (WARMUP_SECONDS > 0)
    await autocannon({ url, connections: CONNECTIONS, duration: WARMUP_SECONDS, headers });
  return measured(
    server,
    () => autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers }),
    (result) => result.requests.total,
  );
}

async function load(
  name: string,
  url: string,
  server: ChildProcess,
  headers: Record<string, string> = {},
): Promise<Result> {
  const { result, cpu_us } = await drive(url, server, headers);
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return {
    name,
    rps: Math.round(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    cpu_us,
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
async function signInRoundTrips({ appUrl, app, emulator }: RunningApp): Promise<Result> {
  await roundTrips(appUrl, WARMUP_SECONDS);
  const client = process.cpuUsage();
  const emulatorBefore = cpuSeconds(emulator.pid);
  const { result: durations, cpu_us } = await measured(
    app,
    () => roundTrips(appUrl, SECONDS),
    (done) => done.length,
  );
  const emulatorAfter = cpuSeconds(emulator.pid);
  const clientUsed = process.cpuUsage(client);
  const perSignIn = (seconds: number) => Math.round((seconds * 1e6) / Math.max(1, durations.length));
  durations.sort((a, b) => a - b);
  const at = (q: number) => Math.round(durations[Math.floor(q * (durations.length - 1))] ?? 0);
  return {
    name: 'signin-roundtrip',
    rps: Math.round(durations.length / SECONDS),
    p50_ms: at(0.5),
    p99_ms: at(0.99),
    unit: 'sign-ins/s',
    cpu_us,
    other_cpu_us: {
      emulator:
        emulatorBefore === undefined || emulatorAfter === undefined
          ? undefined
          : perSignIn(emulatorAfter - emulatorBefore),
      load_generator: perSignIn((clientUsed.user + clientUsed.system) / 1e6),
    },
  };
}

/** The duration of each round trip completed within `seconds`. */
async function roundTrips(appUrl: string, seconds: number): Promise<number[]> {
  const durations: number[] = [];
  const stopAt = Date.now() + seconds * 1000;
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
  return durations;
}

interface RunningApp {
  readonly appUrl: string;
  readonly app: ChildProcess;
  readonly emulator: ChildProcess;
}

async function startApp(extraEnv: Record<string, string>): Promise<RunningApp> {
  const [appPort, emulatorPort] = [await freePort(), await freePort()];
  const appUrl = `http://127.0.0.1:${appPort}`;
  const emulator = start(['node', 'dist/emulator/emulator-main.js'], {
    ...CLIENT,
    EMULATOR_PORT: String(emulatorPort),
    BASE_URL: appUrl,
    EMULATOR_AUTO_APPROVE: '101000001',
  });
  await listening(`http://127.0.0.1:${emulatorPort}/restapi/v1.0`);
  const profile =
    PROFILE_DIR === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${path.resolve(PROFILE_DIR)}`];
  const app = start(['node', ...profile, 'dist/main.js'], {
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
  return { appUrl, app, emulator };
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
  const result = await load(name, `http://127.0.0.1:${port}${pathname}`, child, headers);
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

  const running = await startApp({});
  const { appUrl, app } = running;
  results.push(await load('healthz', `${appUrl}/healthz`, app));
  results.push(await load('landing', `${appUrl}/`, app));
  results.push(await load('dashboard', `${appUrl}/`, app, { cookie: await signIn(appUrl) }));
  // Every answer is a 302 to RingCentral, so load()'s non-2xx check does not apply.
  const login = await drive(`${appUrl}/login`, app);
  results.push({
    name: 'login',
    rps: Math.round(login.result.requests.average),
    p50_ms: login.result.latency.p50,
    p99_ms: login.result.latency.p99,
    cpu_us: login.cpu_us,
  });
  results.push(await signInRoundTrips(running));

  const redis = await startRedis();
  const withRedis = await startApp({ SESSION_STORE: 'redis', REDIS_URL: redis.url });
  results.push(
    await load('dashboard-redis', `${withRedis.appUrl}/`, withRedis.app, {
      cookie: await signIn(withRedis.appUrl),
    }),
  );
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
  // A ratio of sign-ins/s to requests/s would mean nothing, so the round trip gets none.
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.rps}${r.unit ? ` ${r.unit}` : ''} | ${r.p50_ms} | ${r.p99_ms} | ${r.unit ? '' : `${(r.rps / express).toFixed(2)}×`} | ${r.cpu_us ?? ''} |`,
  );
  const roundTrip = results.find((r) => r.other_cpu_us !== undefined);
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
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, ${CONNECTIONS} connections, ${SECONDS} s per scenario after ${WARMUP_SECONDS} s of warm-up`;
  const table = [
    `Machine: ${machine}`,
    '',
    '| scenario | requests/s | p50 ms | p99 ms | × express-hello | server CPU µs per request |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    `| sessions-100k-rss-mb | ${mem.rssMb} MB RSS | | | | |`,
    '',
    ...(roundTrip?.other_cpu_us === undefined
      ? []
      : [
          `CPU per sign-in: app ${roundTrip.cpu_us ?? '?'} µs, emulator ${roundTrip.other_cpu_us.emulator ?? '?'} µs, load generator ${roundTrip.other_cpu_us.load_generator} µs.`,
          '',
        ]),
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
