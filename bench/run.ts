// `npm run bench`: every scenario at 50 connections, each figure beside baselines measured in the same run
// (our machines are shared and noisy, so only ratios travel). Servers run in their own processes; the load
// comes from this one. Writes bench/results.json and prints a table with ratios to express-hello.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, get as httpGet } from 'node:http';
import { cpus } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { freePort, startRedis, waitUntil } from './support';

const ROOT = path.join(__dirname, '..');
const CONNECTIONS = 50;
/** Measured seconds per scenario in each round. */
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
// Every scenario is measured once per round, the rounds visit the scenarios in turn, and each figure is the
// median of its rounds. The shared cores' speed drifts over minutes (the same build measured 500 to 675 µs of
// CPU per dashboard request a few minutes apart): baselines measured only at the start of a run would carry
// that drift into every ratio.
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
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
  /** Requests/s in each round, in order: how far this machine drifted during the run. */
  rps_rounds?: number[];
}

const children: ChildProcess[] = [];
/** Set once Redis runs; a failed run stops it too. */
let stopRedis: () => Promise<void> = () => Promise.resolve();

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

/** Any answer will do; a redirect is not followed. */
async function listening(url: string) {
  await waitUntil(
    async () => (await fetch(url, { redirect: 'manual' }).catch(() => undefined)) !== undefined,
    400,
  );
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

/** One request scenario: autocannon against one URL of one server process. */
interface RequestScenario {
  readonly name: string;
  readonly url: string;
  readonly server: ChildProcess;
  readonly headers?: Record<string, string>;
  /** Every answer must be a 2xx (login's are all 302s to RingCentral, so it sets this false). */
  readonly only2xx: boolean;
}

function hammer({ url, headers = {} }: RequestScenario, seconds: number) {
  return autocannon({ url, connections: CONNECTIONS, duration: seconds, headers });
}

async function measureRequests(scenario: RequestScenario): Promise<Result> {
  const { result, cpu_us } = await measured(
    scenario.server,
    () => hammer(scenario, SECONDS),
    (done) => done.requests.total,
  );
  if (result.errors > 0 || (scenario.only2xx && result.non2xx > 0))
    throw new Error(`${scenario.name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return {
    name: scenario.name,
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
          // The last cookie set: the session's at the callback (which first clears its sign-in cookie), the
          // sign-in cookie at /login.
          cookie: (response.headers['set-cookie']?.at(-1) ?? '').split(';')[0] ?? '',
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
  // 303 from the app; 302 from the peer (res.redirect's default).
  if (callback.status !== 303 && callback.status !== 302)
    throw new Error(`sign-in failed: ${callback.status}`);
  return callback.cookie;
}

/** Whole sign-ins per second: 50 workers each signing in and opening the dashboard, again and again. */
async function measureSignIns(
  { appUrl, app, emulator }: RunningApp,
  name = 'signin-roundtrip',
): Promise<Result> {
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
    name,
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

/** The app (or, with `peer`, the passport peer baseline) and an emulator of its own, auto-approving. */
async function startApp(extraEnv: Record<string, string>, { peer = false } = {}): Promise<RunningApp> {
  const [appPort, emulatorPort] = [await freePort(), await freePort()];
  const appUrl = `http://127.0.0.1:${appPort}`;
  const emulator = start(['node', 'dist/emulator/emulator-main.js'], {
    ...CLIENT,
    EMULATOR_PORT: String(emulatorPort),
    BASE_URL: appUrl,
    // No consent page, and each sign-in as the next of 100 users, as real traffic is: RingCentral keeps five
    // sessions per user, so 50 parallel sign-ins of one user would end each other's sessions mid-flight.
    EMULATOR_AUTO_APPROVE: 'load',
    // Thousands of sign-ins a minute from one app: RingCentral's Auth limit (5/min) would answer 429.
    EMULATOR_RATE_LIMITS: 'off',
  });
  await listening(`http://127.0.0.1:${emulatorPort}/restapi/v1.0`);
  const profile =
    PROFILE_DIR === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${path.resolve(PROFILE_DIR)}`];
  const command = peer ? ['--import', 'tsx', 'bench/servers/peer-passport.ts'] : ['dist/main.js'];
  const app = start(['node', ...profile, ...command], {
    ...CLIENT,
    NODE_ENV: 'production',
    PORT: String(appPort),
    BASE_URL: appUrl,
    SESSION_SECRET: 'bench-session-secret-0123456789abcdef',
    SESSION_STORE: 'memory',
    RINGCENTRAL_SERVER_URL: `http://127.0.0.1:${emulatorPort}`,
    // Production logging (one access line per request) stays on; only the per-address sign-in limit is
    // lifted, since all the load comes from one address.
    SIGNIN_RATE_LIMIT_PER_MINUTE: '0',
    ...extraEnv,
  });
  await listening(`${appUrl}/healthz`);
  return { appUrl, app, emulator };
}

/** Starts a baseline server. minimal-stack's requests carry a session cookie, as a signed-in user's would (its GET /set signs in). */
async function startBaseline(
  name: string,
  file: string,
  { signedIn = false } = {},
): Promise<RequestScenario> {
  const port = await freePort();
  const server = start(['node', '--import', 'tsx', `bench/servers/${file}`], {
    PORT: String(port),
    NODE_ENV: 'production',
  });
  const url = `http://127.0.0.1:${port}/`;
  await listening(url);
  let headers: Record<string, string> = {};
  if (signedIn) {
    const set = await fetch(`http://127.0.0.1:${port}/set`);
    headers = { cookie: (set.headers.get('set-cookie') ?? '').split(';')[0] ?? '' };
  }
  return { name, url, server, headers, only2xx: true };
}

interface Memory {
  rssMb: number;
  maxSeen: number;
  max: number;
  /** JS heap per signed-in session after a full GC, app and passport peer, in bytes. */
  heapPerSession: { app: number; peer: number };
}

/** Runs a compiled bench script with --expose-gc; its stdout lines as JSON. */
async function runWithGc(script: string): Promise<Record<string, number>[]> {
  const child = spawn('node', ['--expose-gc', script], { cwd: ROOT });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await new Promise((resolve) => child.once('exit', resolve));
  return out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, number>);
}

async function memory(): Promise<Memory> {
  // Compiled by tsc like the app and run by plain node: under the tsx loader the same process measured about
  // 50 MB more RSS, memory a production process never spends.
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'bench/tsconfig.memory.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  const [filled, overfilled] = await runWithGc('dist/bench-memory/bench/memory.js');
  const [peer] = await runWithGc('dist/bench-memory/bench/peer-memory.js');
  return {
    rssMb: Math.round(filled?.['rssMb'] ?? 0),
    maxSeen: overfilled?.['maxSeen'] ?? 0,
    max: overfilled?.['max'] ?? 0,
    heapPerSession: {
      app: Math.round(filled?.['heapPerSessionBytes'] ?? 0),
      peer: Math.round(peer?.['heapPerSessionBytes'] ?? 0),
    },
  };
}

/** One figure from several rounds: the middle one (the mean of the middle two for an even count). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return Math.round(value ?? 0);
}

function medianOf(rounds: readonly Result[]): Result {
  const [first] = rounds;
  if (first === undefined) throw new Error('no rounds measured');
  const cpu = rounds.map((r) => r.cpu_us).filter((v) => v !== undefined);
  const emulator = rounds.map((r) => r.other_cpu_us?.emulator).filter((v) => v !== undefined);
  const generator = rounds.map((r) => r.other_cpu_us?.load_generator).filter((v) => v !== undefined);
  return {
    name: first.name,
    rps: median(rounds.map((r) => r.rps)),
    p50_ms: median(rounds.map((r) => r.p50_ms)),
    p99_ms: median(rounds.map((r) => r.p99_ms)),
    ...(first.unit === undefined ? {} : { unit: first.unit }),
    ...(cpu.length === 0 ? {} : { cpu_us: median(cpu) }),
    ...(first.other_cpu_us === undefined
      ? {}
      : {
          other_cpu_us: {
            emulator: emulator.length === 0 ? undefined : median(emulator),
            load_generator: median(generator),
          },
        }),
    rps_rounds: rounds.map((r) => r.rps),
  };
}

async function main() {
  // Every server runs for the whole run (an idle one costs no CPU), so the rounds can visit them in turn.
  const baselines = [
    await startBaseline('node-hello', 'node-hello.ts'),
    await startBaseline('express-hello', 'express-hello.ts'),
    await startBaseline('minimal-stack', 'minimal-stack.ts', { signedIn: true }),
  ];
  const running = await startApp({});
  const { appUrl, app } = running;
  // The round trips get an instance of their own: thousands of sign-ins would otherwise fill the store (and the
  // heap the garbage collector walks) of the instance whose pages are measured.
  const signingIn = await startApp({});
  const redis = await startRedis();
  stopRedis = () => redis.destroy();
  const withRedis = await startApp({ SESSION_STORE: 'redis', REDIS_URL: redis.url });
  const peer = await startApp({}, { peer: true });
  const peerSigningIn = await startApp({}, { peer: true }); // as for the app, an instance for the round trips
  const scenarios: { name: string; warm(): Promise<unknown>; measure(): Promise<Result> }[] = [];
  const requests = (scenario: RequestScenario) =>
    scenarios.push({
      name: scenario.name,
      warm: () => (WARMUP_SECONDS > 0 ? hammer(scenario, WARMUP_SECONDS) : Promise.resolve()),
      measure: () => measureRequests(scenario),
    });
  baselines.forEach(requests);
  requests({ name: 'healthz', url: `${appUrl}/healthz`, server: app, only2xx: true });
  requests({ name: 'landing', url: `${appUrl}/`, server: app, only2xx: true });
  const signedIn = { cookie: await signIn(appUrl) };
  requests({ name: 'dashboard', url: `${appUrl}/`, server: app, headers: signedIn, only2xx: true });
  // Every answer is a 302 to RingCentral.
  requests({ name: 'login', url: `${appUrl}/login`, server: app, only2xx: false });
  scenarios.push({
    name: 'signin-roundtrip',
    warm: () => roundTrips(signingIn.appUrl, WARMUP_SECONDS),
    measure: () => measureSignIns(signingIn),
  });
  // The peer, signed in against the same emulator behaviour, measured in the same rounds.
  const peerSignedIn = { cookie: await signIn(peer.appUrl) };
  requests({
    name: 'peer-dashboard',
    url: `${peer.appUrl}/`,
    server: peer.app,
    headers: peerSignedIn,
    only2xx: true,
  });
  scenarios.push({
    name: 'peer-signin-roundtrip',
    warm: () => roundTrips(peerSigningIn.appUrl, WARMUP_SECONDS),
    measure: () => measureSignIns(peerSigningIn, 'peer-signin-roundtrip'),
  });
  const signedInRedis = { cookie: await signIn(withRedis.appUrl) };
  requests({
    name: 'dashboard-redis',
    url: `${withRedis.appUrl}/`,
    server: withRedis.app,
    headers: signedInRedis,
    only2xx: true,
  });

  for (const scenario of scenarios) await scenario.warm();
  const rounds = new Map<string, Result[]>(scenarios.map(({ name }) => [name, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const scenario of scenarios) rounds.get(scenario.name)?.push(await scenario.measure());
    process.stderr.write(`round ${round} of ${ROUNDS} done\n`);
  }
  const results = scenarios.map(({ name }) => medianOf(rounds.get(name) ?? []));

  browser.destroy();
  // SIGTERM: the app shuts down gracefully and exits, which is when node writes a CPU profile.
  await Promise.all(children.map(stop));
  await redis.destroy();

  const mem = await memory();
  report(results, mem);
}

function report(results: Result[], mem: Memory) {
  const express = results.find((r) => r.name === 'express-hello')?.rps ?? 1;
  const minimal = results.find((r) => r.name === 'minimal-stack')?.rps ?? 1;
  const by = (name: string): Pick<Result, 'rps' | 'p99_ms' | 'cpu_us'> =>
    results.find((r) => r.name === name) ?? { rps: 0, p99_ms: Infinity, cpu_us: undefined };
  // A ratio of sign-ins/s to requests/s would mean nothing, so the round trip gets none.
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.rps}${r.unit ? ` ${r.unit}` : ''} | ${(r.rps_rounds ?? []).join(', ')} | ${r.p50_ms} | ${r.p99_ms} | ${r.unit ? '' : `${(r.rps / express).toFixed(2)}×`} | ${r.cpu_us ?? ''} |`,
  );
  const roundTrip = results.find((r) => r.name === 'signin-roundtrip');
  const peerRoundTrip = results.find((r) => r.name === 'peer-signin-roundtrip');
  // Cut, not rounded, to two places: 0.4975 must not read "0.50" beside a missed "≥ 0.5".
  const ratio = (name: string, to: number) => (Math.floor((by(name).rps / to) * 100) / 100).toFixed(2);
  const targets: { name: string; met: boolean; value: string }[] = [
    {
      name: 'dashboard ≥ 0.9× minimal-stack',
      met: by('dashboard').rps / minimal >= 0.9,
      value: ratio('dashboard', minimal),
    },
    {
      name: 'dashboard ≥ 0.5× express-hello',
      met: by('dashboard').rps / express >= 0.5,
      value: ratio('dashboard', express),
    },
    {
      name: 'login ≥ 0.5× express-hello',
      met: by('login').rps / express >= 0.5,
      value: ratio('login', express),
    },
    {
      name: 'dashboard p99 ≤ 25 ms',
      met: by('dashboard').p99_ms <= 25,
      value: `${by('dashboard').p99_ms} ms`,
    },
    {
      name: 'signin-roundtrip ≥ 300 sign-ins/s',
      met: by('signin-roundtrip').rps >= 300,
      value: String(by('signin-roundtrip').rps),
    },
    {
      name: 'dashboard-redis ≥ 0.35× express-hello',
      met: by('dashboard-redis').rps / express >= 0.35,
      value: ratio('dashboard-redis', express),
    },
    { name: 'sessions-100k-rss-mb ≤ 300', met: mem.rssMb <= 300, value: `${mem.rssMb} MB` },
    { name: `store count never above ${mem.max}`, met: mem.maxSeen <= mem.max, value: String(mem.maxSeen) },
  ];
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, ${CONNECTIONS} connections, ${WARMUP_SECONDS} s of warm-up, then the median of ${ROUNDS} rounds of ${SECONDS} s per scenario`;
  const table = [
    `Machine: ${machine}`,
    '',
    '| scenario | requests/s | each round | p50 ms | p99 ms | × express-hello | server CPU µs per request |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    `| sessions-100k-rss-mb | ${mem.rssMb} MB RSS | | | | | |`,
    '',
    ...(roundTrip?.other_cpu_us === undefined
      ? []
      : [
          `CPU per sign-in: app ${roundTrip.cpu_us ?? '?'} µs, emulator ${roundTrip.other_cpu_us.emulator ?? '?'} µs, load generator ${roundTrip.other_cpu_us.load_generator} µs.`,
          '',
        ]),
    '| this app ÷ passport peer | app | peer | ratio |',
    '| --- | --- | --- | --- |',
    `| signed-in page, req/s | ${by('dashboard').rps} | ${by('peer-dashboard').rps} | ${(by('dashboard').rps / Math.max(1, by('peer-dashboard').rps)).toFixed(2)} |`,
    `| app CPU per page, µs | ${by('dashboard').cpu_us ?? '?'} | ${by('peer-dashboard').cpu_us ?? '?'} | ${((by('dashboard').cpu_us ?? 0) / Math.max(1, by('peer-dashboard').cpu_us ?? 0)).toFixed(2)} |`,
    `| JS heap per signed-in session, bytes | ${mem.heapPerSession.app} | ${mem.heapPerSession.peer} | ${(mem.heapPerSession.app / Math.max(1, mem.heapPerSession.peer)).toFixed(2)} |`,
    `| app CPU per sign-in, µs | ${roundTrip?.cpu_us ?? '?'} | ${peerRoundTrip?.cpu_us ?? '?'} | ${((roundTrip?.cpu_us ?? 0) / Math.max(1, peerRoundTrip?.cpu_us ?? 0)).toFixed(2)} |`,
    '',
    '| target | met | value |',
    '| --- | --- | --- |',
    ...targets.map(({ name, met, value }) => `| ${name} | ${met ? 'yes' : '**no**'} | ${value} |`),
  ].join('\n');
  process.stdout.write(`${table}\n`);
  writeFileSync(
    path.join(__dirname, 'results.json'),
    `${JSON.stringify({ machine, scenarios: results, memory: { name: 'sessions-100k-rss-mb', rss_mb: mem.rssMb, max_count_seen: mem.maxSeen, max_sessions: mem.max, heap_per_session_bytes: mem.heapPerSession }, targets }, null, 2)}\n`,
  );
}

main().catch(async (error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  // The servers may still have load in flight, so no graceful stop; then exit, whatever is still pending.
  for (const child of children) child.kill('SIGKILL');
  await stopRedis();
  process.exit(1);
});
