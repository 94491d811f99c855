// `npm run bench`: the app beside the passport peer (bench/servers/peer-passport.ts) and bare baselines, all
// measured in the same interleaved rounds (our machines are shared and noisy, so only ratios travel): pages
// and sign-ins at 50 connections, the signed-in page at a fixed 500 requests/s, and the JS heap per session.
// Servers run in their own processes; the load comes from this one. Prints the side-by-side table and the
// targets, and writes bench/results.json.
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
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 4);
// Every scenario is measured once per round, the rounds visit the scenarios in turn, and each figure is the
// median of its rounds. The shared cores' speed drifts over minutes (the same build measured 500 to 675 µs of
// CPU per dashboard request a few minutes apart): baselines measured only at the start of a run would carry
// that drift into every ratio.
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
// Unmeasured load before each scenario, baselines included: V8 compiles the hot paths while it runs. Without
// it a scenario's first seconds measure the compiler (sign-ins ran 35% slower in their first 6 s than later).
const WARMUP_SECONDS = Number(process.env['BENCH_WARMUP_SECONDS'] ?? 3);
const CLIENT = { RINGCENTRAL_CLIENT_ID: 'bench-app', RINGCENTRAL_CLIENT_SECRET: 'bench-client-secret' };
/** BENCH_PROFILE=<dir>: the app runs under `node --cpu-prof` and writes one .cpuprofile per app process there. */
const PROFILE_DIR = process.env['BENCH_PROFILE'];
/**
 * BENCH_COMPARE=<dir>[,<dir>...]: other builds of the app (checkouts with `dist/` built, e.g. git worktrees of
 * an earlier commit, or with one feature taken out) measured in the same rounds as `dashboard@<dir's name>` and
 * `signin-roundtrip@<dir's name>`: what one change buys, free of the drift between two runs.
 */
const COMPARE_DIRS = process.env['BENCH_COMPARE']?.split(',').filter(Boolean) ?? [];
/** BENCH_ONLY=<name>,<name>: measure only these scenarios (to profile one: its process's profile is its own). */
const ONLY = process.env['BENCH_ONLY']?.split(',').filter(Boolean);
/**
 * Latency under a realistic load rather than at saturation: requests sent on a fixed schedule, whatever the
 * answers do (an open loop), each timed from when it was due, so a stall counts for every request it delays.
 */
const OPEN_LOOP_RATE = 500;
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
  /**
   * Measured answers that failed their check (an error, a status, or a page that was not signed in), over
   * all rounds. Counted rather than thrown, so a run says how many, and which scenario.
   */
  failed: number;
}

/** What every signed-in page says, the app's and every baseline's: an answer without it is not signed in. */
const SIGNED_IN_TEXT = 'Signed in as';

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
  /** Text every answer's body must hold: SIGNED_IN_TEXT for a signed-in page, which signed out is a 200 too. */
  readonly expect?: string;
}

function hammer({ url, headers = {}, expect }: RequestScenario, seconds: number) {
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    headers,
    // Each body that fails this is counted in `mismatches`.
    ...(expect === undefined ? {} : { verifyBody: (body) => String(body).includes(expect) }),
  });
}

async function measureRequests(scenario: RequestScenario): Promise<Result> {
  const { result, cpu_us } = await measured(
    scenario.server,
    () => hammer(scenario, SECONDS),
    (done) => done.requests.total,
  );
  return {
    name: scenario.name,
    rps: Math.round(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    cpu_us,
    failed: result.errors + result.mismatches + (scenario.only2xx ? result.non2xx : 0),
  };
}

/** A pool of its own, large enough that a stall in the app never leaves a due request waiting for a socket. */
const openLoopAgent = new Agent({ keepAlive: true, maxSockets: 256 });

/** `rate` requests/s to one URL for `seconds`, each checked (200, signed in) and timed from when it was due. */
async function openLoop(url: string, headers: Record<string, string>, rate: number, seconds: number) {
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const total = rate * seconds;
  const inFlight: Promise<void>[] = [];
  for (let sent = 0; sent < total;) {
    // Everything due by now goes out now: timers fire late on a busy machine, and the schedule must not slip.
    const due = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
    for (; sent < due; sent += 1) {
      const dueAt = started + (sent * 1000) / rate;
      inFlight.push(
        getWith(openLoopAgent, url, headers).then(
          (answer) => {
            latencies.push(performance.now() - dueAt);
            if (answer.status !== 200 || !answer.body.includes(SIGNED_IN_TEXT)) failures += 1;
          },
          () => void (failures += 1),
        ),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(inFlight);
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? 0;
  return { sent: total, failures, p50: at(0.5), p99: at(0.99), max: at(1) };
}

async function measureOpenLoop(scenario: RequestScenario): Promise<Result> {
  // Steady state at this rate first: in each round the saturated scenario runs just before on the same
  // instance, and what it leaves behind (a major GC of its garbage) is not what 500 requests/s costs.
  await openLoop(scenario.url, scenario.headers ?? {}, OPEN_LOOP_RATE, WARMUP_SECONDS);
  const { result, cpu_us } = await measured(
    scenario.server,
    () => openLoop(scenario.url, scenario.headers ?? {}, OPEN_LOOP_RATE, SECONDS),
    (done) => done.sent,
  );
  const ms = (value: number) => Math.round(value * 10) / 10;
  return {
    name: scenario.name,
    rps: OPEN_LOOP_RATE,
    p50_ms: ms(result.p50),
    p99_ms: ms(result.p99),
    unit: 'requests/s, fixed',
    cpu_us,
    failed: result.failures,
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
  return getWith(browser, url, cookie ? { cookie } : {});
}

function getWith(agent: Agent, url: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpGet(url, { agent, headers }, (response) => {
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
async function measureSignIns({ appUrl, app, emulator }: RunningApp, name: string): Promise<Result> {
  const client = process.cpuUsage();
  const emulatorBefore = cpuSeconds(emulator.pid);
  const {
    result: { durations, failed },
    cpu_us,
  } = await measured(
    app,
    () => roundTrips(appUrl, SECONDS),
    (done) => done.durations.length,
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
    failed,
  };
}

/** The duration of each round trip completed within `seconds`, and how many did not end signed in. */
async function roundTrips(appUrl: string, seconds: number) {
  const durations: number[] = [];
  let failed = 0;
  const stopAt = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < stopAt) {
        const started = performance.now();
        const signedIn = await signIn(appUrl)
          .then((cookie) => get(`${appUrl}/`, cookie))
          .then((page) => page.status === 200 && page.body.includes(SIGNED_IN_TEXT))
          .catch(() => false);
        if (signedIn) durations.push(performance.now() - started);
        else failed += 1;
      }
    }),
  );
  return { durations, failed };
}

interface RunningApp {
  readonly appUrl: string;
  readonly app: ChildProcess;
  readonly emulator: ChildProcess;
}

/** The app (or, with `peer`, the passport peer baseline) and an emulator of its own, auto-approving. */
async function startApp(
  extraEnv: Record<string, string>,
  { peer = false, main = 'dist/main.js' } = {},
): Promise<RunningApp> {
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
  const command = peer ? ['--import', 'tsx', 'bench/servers/peer-passport.ts'] : [main];
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
  return { name, url, server, headers, only2xx: true, ...(signedIn ? { expect: SIGNED_IN_TEXT } : {}) };
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

/**
 * One figure from several rounds: the middle one (the mean of the middle two for an even count), rounded to
 * `places` decimals (latencies of a few milliseconds keep one).
 */
function median(values: readonly number[], places = 0): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return Math.round((value ?? 0) * 10 ** places) / 10 ** places;
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
    p50_ms: median(
      rounds.map((r) => r.p50_ms),
      1,
    ),
    p99_ms: median(
      rounds.map((r) => r.p99_ms),
      1,
    ),
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
    failed: rounds.reduce((sum, r) => sum + r.failed, 0),
  };
}

async function main() {
  // Every server runs for the whole run (an idle one costs no CPU), so the rounds can visit them in turn.
  const baselines = [
    await startBaseline('node-hello', 'node-hello.ts'),
    await startBaseline('express-hello', 'express-hello.ts'),
    await startBaseline('minimal-stack', 'minimal-stack.ts', { signedIn: true }),
  ];
  // The signed-in page is measured on an instance that serves nothing else, as the peer's is: one serving
  // several scenarios runs more varied code through the same functions, which V8 optimizes less well.
  const dashboardApp = await startApp({});
  // The other pages have one of their own.
  const { appUrl, app } = await startApp({});
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
  // The same page at a fixed rate (warmed at that rate in each round: see measureOpenLoop).
  const openLoopAt = (page: RequestScenario) => {
    const scenario = { ...page, name: `${page.name}-${OPEN_LOOP_RATE}rps` };
    scenarios.push({
      name: scenario.name,
      warm: () => Promise.resolve(),
      measure: () => measureOpenLoop(scenario),
    });
  };
  baselines.forEach(requests);
  requests({ name: 'healthz', url: `${appUrl}/healthz`, server: app, only2xx: true });
  requests({ name: 'landing', url: `${appUrl}/`, server: app, only2xx: true });
  // Every answer is a 302 to RingCentral.
  requests({ name: 'login', url: `${appUrl}/login`, server: app, only2xx: false });
  /** The signed-in page of one instance: signed in once, then every request carries that session's cookie. */
  const signedInPage = async (name: string, { appUrl: url, app: server }: RunningApp) => ({
    name,
    url: `${url}/`,
    server,
    headers: { cookie: await signIn(url) },
    only2xx: true,
    expect: SIGNED_IN_TEXT,
  });
  const signIns = (name: string, running: RunningApp) =>
    scenarios.push({
      name,
      warm: () => roundTrips(running.appUrl, WARMUP_SECONDS),
      measure: () => measureSignIns(running, name),
    });
  // The app and the peer, signed in against the same emulator behaviour, each scenario right after its
  // counterpart: the ratios are taken within a round, seconds apart, so the machine's drift over minutes
  // (the same page measured 30% apart within one run) falls on both alike.
  const dashboard = await signedInPage('dashboard', dashboardApp);
  const peerDashboard = await signedInPage('peer-dashboard', peer);
  requests(dashboard);
  requests(peerDashboard);
  openLoopAt(dashboard);
  openLoopAt(peerDashboard);
  signIns('signin-roundtrip', signingIn);
  signIns('peer-signin-roundtrip', peerSigningIn);
  for (const dir of COMPARE_DIRS) {
    const main = path.resolve(dir, 'dist', 'main.js');
    const build = path.basename(path.resolve(dir));
    requests(await signedInPage(`dashboard@${build}`, await startApp({}, { main })));
    signIns(`signin-roundtrip@${build}`, await startApp({}, { main }));
  }
  requests(await signedInPage('dashboard-redis', withRedis));

  const chosen = scenarios.filter(({ name }) => ONLY === undefined || ONLY.includes(name));
  for (const scenario of chosen) await scenario.warm();
  const rounds = new Map<string, Result[]>(chosen.map(({ name }) => [name, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const scenario of chosen) rounds.get(scenario.name)?.push(await scenario.measure());
    process.stderr.write(`round ${round} of ${ROUNDS} done\n`);
  }
  const results = chosen.map(({ name }) => medianOf(rounds.get(name) ?? []));
  const paired = pairedRatios(rounds);
  const compared = comparedBuilds(rounds);

  browser.destroy();
  // SIGTERM: the app shuts down gracefully and exits, which is when node writes a CPU profile.
  await Promise.all(children.map(stop));
  await redis.destroy();

  const mem = ONLY === undefined || ONLY.includes('memory') ? await memory() : undefined;
  report(results, mem, paired, compared);
}

/** BENCH_COMPARE's builds: each scenario `<name>@<build>` against this build's `<name>`, within each round. */
interface Compared {
  readonly scenario: string;
  readonly cpu?: number;
  readonly rps?: number;
}

function comparedBuilds(rounds: Rounds): Compared[] {
  return [...rounds.keys()].flatMap((scenario) => {
    const [ours = '', build] = scenario.split('@');
    if (build === undefined || !rounds.has(ours)) return [];
    const ratio = (figure: (r: Result) => number | undefined) => roundRatio(rounds, scenario, ours, figure);
    return [{ scenario, cpu: ratio((r) => r.cpu_us), rps: ratio((r) => r.rps) }];
  });
}

/** App ÷ peer, each taken within a round (the two were measured seconds apart), then the median of the rounds. */
interface PairedRatios {
  readonly pageRps?: number;
  readonly pageCpu?: number;
  readonly signInCpu?: number;
  readonly p99?: number;
}

type Rounds = ReadonlyMap<string, readonly Result[]>;

/** One scenario's figure ÷ another's, taken within each round, then the median of the rounds. */
function roundRatio(rounds: Rounds, ours: string, theirs: string, figure: (r: Result) => number | undefined) {
  const [a, b] = [rounds.get(ours) ?? [], rounds.get(theirs) ?? []];
  const each = a.flatMap((r, i) => {
    const [x, y] = [figure(r), b[i] === undefined ? undefined : figure(b[i])];
    return x === undefined || y === undefined || y === 0 ? [] : [x / y];
  });
  return each.length === 0 ? undefined : median(each, 3);
}

function pairedRatios(rounds: Rounds): PairedRatios {
  const ratio = (app: string, peer: string, figure: (r: Result) => number | undefined) =>
    roundRatio(rounds, app, peer, figure);
  const openLoop = `dashboard-${OPEN_LOOP_RATE}rps`;
  const defined = <T extends object>(value: T) =>
    Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
  return defined({
    pageRps: ratio('dashboard', 'peer-dashboard', (r) => r.rps),
    pageCpu: ratio('dashboard', 'peer-dashboard', (r) => r.cpu_us),
    signInCpu: ratio('signin-roundtrip', 'peer-signin-roundtrip', (r) => r.cpu_us),
    p99: ratio(openLoop, `peer-${openLoop}`, (r) => r.p99_ms),
  });
}

function report(results: Result[], mem: Memory | undefined, paired: PairedRatios, compared: Compared[]) {
  const express = results.find((r) => r.name === 'express-hello')?.rps;
  const by = (name: string): Result | undefined => results.find((r) => r.name === name);
  const rows = results.map((r) => {
    const ratio = r.unit === undefined && express !== undefined ? `${(r.rps / express).toFixed(2)}×` : '';
    return `| ${r.name} | ${r.rps}${r.unit ? ` ${r.unit}` : ''} | ${(r.rps_rounds ?? []).join(', ')} | ${r.p50_ms} | ${r.p99_ms} | ${ratio} | ${r.cpu_us ?? ''} | ${r.failed} |`;
  });
  const roundTrip = by('signin-roundtrip');
  const openLoop = `dashboard-${OPEN_LOOP_RATE}rps`;
  // Each comparison: the app's figure and the peer's (medians of the rounds) and app ÷ peer, cut (not rounded)
  // towards failing the target, so 0.996 never reads "1.00" beside a missed "≥ 1.0".
  const sideBySide = [
    {
      what: 'signed-in page, requests/s (50 connections)',
      app: by('dashboard')?.rps,
      peer: by('peer-dashboard')?.rps,
      paired: paired.pageRps,
      higherIsBetter: true,
    },
    {
      what: 'app CPU per page, µs',
      app: by('dashboard')?.cpu_us,
      peer: by('peer-dashboard')?.cpu_us,
      paired: paired.pageCpu,
      higherIsBetter: false,
    },
    {
      what: 'app CPU per sign-in, µs',
      app: roundTrip?.cpu_us,
      peer: by('peer-signin-roundtrip')?.cpu_us,
      paired: paired.signInCpu,
      higherIsBetter: false,
    },
    {
      what: 'JS heap per signed-in session, bytes',
      app: mem?.heapPerSession.app,
      peer: mem?.heapPerSession.peer,
      paired: undefined,
      higherIsBetter: false,
    },
    {
      what: `signed-in page p99 at ${OPEN_LOOP_RATE} requests/s (open loop), ms`,
      app: by(openLoop)?.p99_ms,
      peer: by(`peer-${openLoop}`)?.p99_ms,
      paired: paired.p99,
      higherIsBetter: false,
    },
  ].map((row) => {
    // Measured in rounds: the median of the ratios within each round; the heap: its one ratio.
    const ratio =
      row.paired ??
      (row.app === undefined || row.peer === undefined ? undefined : row.app / Math.max(1e-9, row.peer));
    const cut =
      ratio === undefined ? undefined : (row.higherIsBetter ? Math.floor : Math.ceil)(ratio * 100) / 100;
    return { ...row, ratio, shown: cut === undefined ? '?' : cut.toFixed(2) };
  });
  const ratioOf = (what: string) => sideBySide.find((row) => row.what.startsWith(what));
  const pageRatio = ratioOf('signed-in page, requests/s');
  const signInRatio = ratioOf('app CPU per sign-in');
  const targets: { name: string; met: boolean | undefined; value: string }[] = [
    {
      name: 'signed-in page requests/s ≥ 1.0× the peer',
      met: pageRatio?.ratio === undefined ? undefined : pageRatio.ratio >= 1,
      value: `${pageRatio?.shown ?? '?'}×`,
    },
    {
      name: 'app CPU per sign-in ≤ 1.0× the peer',
      met: signInRatio?.ratio === undefined ? undefined : signInRatio.ratio <= 1,
      value: `${signInRatio?.shown ?? '?'}×`,
    },
    {
      name: 'JS heap per signed-in session ≤ 1,024 bytes',
      met: mem === undefined ? undefined : mem.heapPerSession.app <= 1024,
      value: `${mem?.heapPerSession.app ?? '?'} bytes`,
    },
    {
      name: `dashboard p99 ≤ 10 ms at a fixed ${OPEN_LOOP_RATE} requests/s`,
      met: by(openLoop) === undefined ? undefined : (by(openLoop)?.p99_ms ?? Infinity) <= 10,
      value: `${by(openLoop)?.p99_ms ?? '?'} ms`,
    },
    {
      name: `store count never above ${mem?.max ?? 'SESSION_MAX_SESSIONS'}`,
      met: mem === undefined ? undefined : mem.maxSeen <= mem.max,
      value: String(mem?.maxSeen ?? '?'),
    },
  ];
  const verdict = (met: boolean | undefined) => (met === undefined ? 'not measured' : met ? 'yes' : '**no**');
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, ${CONNECTIONS} connections, ${WARMUP_SECONDS} s of warm-up, then the median of ${ROUNDS} rounds of ${SECONDS} s per scenario`;
  const table = [
    `Machine: ${machine}`,
    '',
    '| scenario | requests/s | each round | p50 ms | p99 ms | × express-hello | server CPU µs per request | failed |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    ...(mem === undefined ? [] : [`| sessions-100k-rss-mb | ${mem.rssMb} MB RSS | | | | | | |`]),
    '',
    ...(roundTrip?.other_cpu_us === undefined
      ? []
      : [
          `CPU per sign-in: app ${roundTrip.cpu_us ?? '?'} µs, emulator ${roundTrip.other_cpu_us.emulator ?? '?'} µs, load generator ${roundTrip.other_cpu_us.load_generator} µs.`,
          '',
        ]),
    "| | this app | passport peer | app ÷ peer (median of the rounds' ratios) |",
    '| --- | --- | --- | --- |',
    ...sideBySide.map((row) => `| ${row.what} | ${row.app ?? '?'} | ${row.peer ?? '?'} | ${row.shown} |`),
    '',
    '| target | met | value |',
    '| --- | --- | --- |',
    ...targets.map(({ name, met, value }) => `| ${name} | ${verdict(met)} | ${value} |`),
    ...(compared.length === 0
      ? []
      : [
          '',
          "| other build (BENCH_COMPARE) | CPU per unit ÷ this build's | requests/s ÷ this build's |",
          '| --- | --- | --- |',
          ...compared.map(
            (c) => `| ${c.scenario} | ${c.cpu?.toFixed(2) ?? '?'} | ${c.rps?.toFixed(2) ?? '?'} |`,
          ),
        ]),
  ].join('\n');
  process.stdout.write(`${table}\n`);
  const failed = results.filter((r) => r.failed > 0);
  if (failed.length > 0) {
    // The figures of a scenario whose answers failed are not what they claim to measure (a signed-out page
    // answers 200 too), so the run says so and exits with an error, after printing everything it has.
    const which = failed.map((r) => `${r.name} ${r.failed}`).join(', ');
    process.stdout.write(
      `\nFAILED CHECKS: ${which}. Those scenarios' figures do not measure what they say.\n`,
    );
    process.exitCode = 1;
  }
  writeFileSync(
    path.join(__dirname, 'results.json'),
    `${JSON.stringify(
      {
        machine,
        scenarios: results,
        ...(mem === undefined
          ? {}
          : {
              memory: {
                name: 'sessions-100k-rss-mb',
                rss_mb: mem.rssMb,
                max_count_seen: mem.maxSeen,
                max_sessions: mem.max,
                heap_per_session_bytes: mem.heapPerSession,
              },
            }),
        side_by_side: sideBySide.map(({ what, app, peer, shown }) => ({ what, app, peer, ratio: shown })),
        targets,
        ...(compared.length === 0 ? {} : { compared }),
      },
      null,
      2,
    )}\n`,
  );
}

main().catch(async (error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  // The servers may still have load in flight, so no graceful stop; then exit, whatever is still pending.
  for (const child of children) child.kill('SIGKILL');
  await stopRedis();
  process.exit(1);
});
