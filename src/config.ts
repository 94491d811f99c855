// Reads and validates every setting once, at start-up, and returns a frozen typed Config.
// Pure: it takes the environment as an argument and never reads process.env itself.
import { hkdfSync, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ConfigError } from './errors/app-error.js';
import { estimateSecretBits, MIN_SECRET_BITS } from './secret-strength.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The path RingCentral redirects back to; RINGCENTRAL_REDIRECT_URI defaults to BASE_URL + this. */
export const CALLBACK_PATH = '/oauth/callback';
const DEFAULT_SERVER_URL = 'https://platform.ringcentral.com';

/** http(s) URLs, including localhost and IP hosts (z.httpUrl() wants a domain name). */
const httpUrl = (message: string) => z.url({ protocol: /^https?$/, error: message });

const optionalText = z.string().trim().optional();

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
    // The interface to listen on: all of them unless set (a container's own network namespace).
    HOST: z
      .string()
      .regex(/^[A-Za-z0-9.:[\]-]{1,255}$/, 'must be an IP address or a host name')
      .optional(),
    BASE_URL: httpUrl('must be an http(s) URL such as https://app.example.com').optional(),
    RINGCENTRAL_SERVER_URL: httpUrl('must be an http(s) URL').default(DEFAULT_SERVER_URL),
    RINGCENTRAL_CLIENT_ID: optionalText,
    RINGCENTRAL_CLIENT_SECRET: optionalText,
    RINGCENTRAL_REDIRECT_URI: httpUrl('must be an http(s) URL, registered exactly in the app').optional(),
    RINGCENTRAL_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters (use 32+ random bytes)').optional(),
    SESSION_TTL_SECONDS: z.coerce.number().int().min(60).max(604_800).default(28_800),
    SESSION_IDLE_TIMEOUT_SECONDS: z.coerce.number().int().min(60).max(604_800).optional(),
    REFRESH_WINDOW_SECONDS: z.coerce.number().int().min(0).max(3_000).default(60),
    SIGNIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(100_000).default(30),
    SESSION_STORE: z.enum(['memory', 'redis']).optional(),
    SESSION_MAX_SESSIONS: z.coerce.number().int().min(1).max(10_000_000).default(100_000),
    REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
    // High availability: Sentinel (its addresses and the master's name) or Cluster (some of its nodes).
    REDIS_SENTINELS: z.string().transform(parseNodes).optional(),
    REDIS_SENTINEL_MASTER: optionalText,
    REDIS_CLUSTER_NODES: z.string().transform(parseNodes).optional(),
    // For the Sentinel and Cluster modes (a REDIS_URL carries its own): managed Redis needs them.
    REDIS_USERNAME: optionalText,
    REDIS_PASSWORD: optionalText,
    REDIS_SENTINEL_PASSWORD: optionalText,
    REDIS_TLS: z.enum(['true', 'false']).default('false'),
    REDIS_TIMEOUT_MS: z.coerce.number().int().min(50).max(30_000).default(1_500),
    TOKEN_ENCRYPTION_KEY: z
      .string()
      .transform((value, ctx) => parseKeys(value, ctx))
      .optional(),
    TRUST_PROXY: z.string().transform(parseTrustProxy).default(false),
    // Slow clients are cut off: Node checks these every few seconds (see server.ts), so a request that
    // trickles in is answered 408 soon after its time is up.
    HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(120_000).default(20_000),
    HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(300_000).default(30_000),
    // Node's default. Behind a proxy that keeps idle connections to the app open longer (an AWS load
    // balancer: 60 s), set it above the proxy's idle time, so the proxy never reuses one the app just closed.
    HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(300_000).default(5_000),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  })
  .superRefine((env, ctx) => {
    // Both credentials are required; a half-configured app would fail only at the first sign-in.
    for (const key of ['RINGCENTRAL_CLIENT_ID', 'RINGCENTRAL_CLIENT_SECRET'] as const) {
      if (env[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'is required' });
    }
    const redisTargets = (['REDIS_URL', 'REDIS_SENTINELS', 'REDIS_CLUSTER_NODES'] as const).filter(
      (key) => env[key] !== undefined,
    );
    if (env.SESSION_STORE === 'redis' && redisTargets.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['SESSION_STORE'],
        message:
          redisTargets.length === 0
            ? '=redis needs one of REDIS_URL, REDIS_SENTINELS (with REDIS_SENTINEL_MASTER) or REDIS_CLUSTER_NODES'
            : `=redis takes one of REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES, not ${redisTargets.join(' and ')}`,
      });
    }
    if ((env.REDIS_SENTINELS === undefined) !== (env.REDIS_SENTINEL_MASTER === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['REDIS_SENTINEL_MASTER'],
        message:
          'and REDIS_SENTINELS go together: the Sentinels to ask, and the name of the master they watch',
      });
    }
    if ((env.SESSION_IDLE_TIMEOUT_SECONDS ?? 0) > env.SESSION_TTL_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['SESSION_IDLE_TIMEOUT_SECONDS'],
        message: 'must not be longer than SESSION_TTL_SECONDS (the absolute lifetime)',
      });
    }
    if (env.NODE_ENV !== 'production') return;
    // In production nothing may be guessed: no localhost URL, no throw-away session secret.
    if (env.BASE_URL === undefined) {
      ctx.addIssue({ code: 'custom', path: ['BASE_URL'], message: 'is required in production' });
    }
    if (env.SESSION_SECRET === undefined) {
      ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'is required in production' });
    } else if (estimateSecretBits(env.SESSION_SECRET) < MIN_SECRET_BITS) {
      // It signs the cookies and, without TOKEN_ENCRYPTION_KEY, derives the key that seals the tokens.
      ctx.addIssue({
        code: 'custom',
        path: ['SESSION_SECRET'],
        message: `looks guessable (about ${Math.round(estimateSecretBits(env.SESSION_SECRET))} bits, ${MIN_SECRET_BITS} wanted): use 32 random bytes, e.g. openssl rand -base64 32`,
      });
    }
    if (env.TRUST_PROXY === true) {
      // Trusting every hop lets any client choose its own address with X-Forwarded-For.
      ctx.addIssue({
        code: 'custom',
        path: ['TRUST_PROXY'],
        message:
          'must not be true in production: give the hop count (1 for one proxy in front) or the proxy addresses (e.g. loopback, 10.0.0.0/8)',
      });
    }
    // Never a silent fall-back to in-process sessions: with several replicas they would sign users out at
    // random. The operator says which it is.
    if (env.SESSION_STORE === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['SESSION_STORE'],
        message:
          'is required in production: redis (with REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES) to share sessions between instances, or memory for a single instance',
      });
    }
  });

type Env = z.infer<typeof EnvSchema>;

export interface Config {
  readonly env: 'development' | 'test' | 'production';
  readonly port: number;
  /** HOST: the interface to listen on; undefined = all. */
  readonly host: string | undefined;
  /** Public URL of the app, without a trailing slash. Absolute URLs are built from it, never from Host. */
  readonly baseUrl: string;
  /** BASE_URL's path without a trailing slash ("" at the root): every route, link and cookie sits under it. */
  readonly basePath: string;
  readonly logLevel: LogLevel;
  /** /login and /oauth/callback requests allowed per client address per minute (0: no limit). */
  readonly signInRateLimitPerMinute: number;
  /** Express's `trust proxy`: false, true, a hop count, or addresses/subnets ("loopback, 10.0.0.0/8"). */
  readonly trustProxy: boolean | number | string;
  /** Node's server limits for slow or idle clients. */
  readonly http: HttpConfig;
  /** Legal but risky choices, logged once at start-up. */
  readonly warnings: readonly string[];
  readonly ringcentral: RingCentralConfig;
  readonly session: SessionConfig;
}

export interface HttpConfig {
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
}

export interface RingCentralConfig {
  readonly serverUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  readonly timeoutMs: number;
}

export interface SessionConfig {
  readonly secret: string;
  /** Absolute lifetime from sign-in, however active; a token refresh does not extend it. */
  readonly lifetimeMs: number;
  /** The session ends after this long without a request (the store's TTL, renewed by activity). */
  readonly idleTimeoutMs: number;
  /** A signed-in page refreshes the access token first when it expires within this time. */
  readonly refreshWindowMs: number;
  readonly store: 'memory' | 'redis';
  /** The in-process store keeps at most this many sessions (least recently used dropped first). */
  readonly maxSessions: number;
  /** Where Redis is, when store is redis. */
  readonly redis: RedisConfig | undefined;
  /** AES-256-GCM keys (base64url, 32 bytes): the first encrypts, all decrypt (rotation). */
  readonly tokenKeys: readonly string[];
  readonly cookie: SessionCookie;
}

export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

/** One Redis, a Sentinel-watched master, or a Cluster; every call bounded by timeoutMs. */
export interface RedisConfig {
  readonly target:
    | { readonly kind: 'single'; readonly url: string }
    | { readonly kind: 'sentinel'; readonly sentinels: readonly RedisNode[]; readonly masterName: string }
    | { readonly kind: 'cluster'; readonly nodes: readonly RedisNode[] };
  /** For Sentinel and Cluster (a URL carries its own credentials and scheme). */
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly sentinelPassword: string | undefined;
  readonly tls: boolean;
  readonly timeoutMs: number;
}

/** The session cookie's attributes: set by express-session, cleared with the same ones at sign-out. */
export interface SessionCookie {
  readonly name: string;
  readonly path: string;
  /** True when BASE_URL is https: the browser then only sends the cookie over TLS. */
  readonly secure: boolean;
}

/** Validates the environment; throws ConfigError naming every problem at once. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(withoutBlanks(env));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`));
  }
  return toConfig(parsed.data);
}

function toConfig(env: Env): Config {
  const warnings: string[] = [];
  const baseUrl = stripTrailingSlash(env.BASE_URL ?? `http://localhost:${env.PORT}`);
  const cookieSecure = baseUrl.startsWith('https:');
  const basePath = stripTrailingSlash(new URL(baseUrl).pathname);
  let secret = env.SESSION_SECRET;
  if (secret === undefined) {
    secret = randomBytes(32).toString('base64url');
    warnings.push('SESSION_SECRET is not set: using a random one, so sessions end when the app restarts.');
  }
  if (env.NODE_ENV === 'production' && !cookieSecure) {
    warnings.push('BASE_URL is not https in production: the session cookie is sent without the Secure flag.');
  }
  if (env.NODE_ENV === 'production' && env.SESSION_STORE === 'memory') {
    warnings.push(
      'SESSION_STORE=memory: sessions live in this process only and end when it restarts; use redis with more than one instance.',
    );
  }
  return deepFreeze({
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    baseUrl,
    basePath,
    logLevel: env.LOG_LEVEL,
    trustProxy: env.TRUST_PROXY,
    signInRateLimitPerMinute: env.SIGNIN_RATE_LIMIT_PER_MINUTE,
    http: {
      // Node wants the headers' limit within the whole request's.
      headersTimeoutMs: Math.min(env.HTTP_HEADERS_TIMEOUT_MS, env.HTTP_REQUEST_TIMEOUT_MS),
      requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    },
    warnings,
    ringcentral: {
      serverUrl: stripTrailingSlash(env.RINGCENTRAL_SERVER_URL),
      // The schema's superRefine guarantees both are present.
      clientId: env.RINGCENTRAL_CLIENT_ID ?? '',
      clientSecret: env.RINGCENTRAL_CLIENT_SECRET ?? '',
      // Derived here and nowhere else: it must be byte-identical at /authorize and /token.
      redirectUri: env.RINGCENTRAL_REDIRECT_URI ?? `${baseUrl}${CALLBACK_PATH}`,
      timeoutMs: env.RINGCENTRAL_TIMEOUT_MS,
    },
    session: {
      secret,
      lifetimeMs: env.SESSION_TTL_SECONDS * 1000,
      // 30 minutes unless set (OWASP suggests 15-30), never longer than the lifetime itself.
      idleTimeoutMs: (env.SESSION_IDLE_TIMEOUT_SECONDS ?? Math.min(1_800, env.SESSION_TTL_SECONDS)) * 1000,
      refreshWindowMs: env.REFRESH_WINDOW_SECONDS * 1000,
      // Outside production, in this process unless told otherwise (production must say, see above).
      store: env.SESSION_STORE ?? 'memory',
      maxSessions: env.SESSION_MAX_SESSIONS,
      redis: env.SESSION_STORE === 'redis' ? toRedisConfig(env) : undefined,
      tokenKeys: env.TOKEN_ENCRYPTION_KEY ?? [deriveTokenKey(secret)],
      // __Host- makes the browser refuse the cookie unless it is Secure, host-only and Path=/; under a
      // path prefix only __Secure- (Secure required) is possible.
      cookie: {
        name: cookieSecure ? (basePath === '' ? '__Host-rcapp.sid' : '__Secure-rcapp.sid') : 'rcapp.sid',
        path: basePath === '' ? '/' : basePath,
        secure: cookieSecure,
      },
    },
  });
}

function toRedisConfig(env: Env): RedisConfig {
  // The schema's superRefine guarantees exactly one target.
  const target: RedisConfig['target'] =
    env.REDIS_SENTINELS !== undefined
      ? { kind: 'sentinel', sentinels: env.REDIS_SENTINELS, masterName: env.REDIS_SENTINEL_MASTER ?? '' }
      : env.REDIS_CLUSTER_NODES !== undefined
        ? { kind: 'cluster', nodes: env.REDIS_CLUSTER_NODES }
        : { kind: 'single', url: env.REDIS_URL ?? '' };
  return {
    target,
    username: env.REDIS_USERNAME,
    password: env.REDIS_PASSWORD,
    sentinelPassword: env.REDIS_SENTINEL_PASSWORD,
    tls: env.REDIS_TLS === 'true',
    timeoutMs: env.REDIS_TIMEOUT_MS,
  };
}

/** "host:port,host:port": the nodes to start from (Sentinels, or Cluster nodes). */
function parseNodes(value: string, ctx: z.RefinementCtx): RedisNode[] {
  const nodes = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => /^([^:\s]+):(\d{1,5})$/.exec(entry));
  if (nodes.length === 0 || nodes.some((match) => match === null)) {
    ctx.addIssue({ code: 'custom', message: 'must be host:port pairs separated by commas' });
    return [];
  }
  return nodes.map((match) => ({ host: match?.[1] ?? '', port: Number(match?.[2]) }));
}

/** TOKEN_ENCRYPTION_KEY: comma-separated 32-byte keys, each base64, base64url or 64 hex digits. */
function parseKeys(value: string, ctx: z.RefinementCtx): string[] {
  const keys = value
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
  const decoded = keys.map((key) =>
    /^[0-9a-f]{64}$/i.test(key) ? Buffer.from(key, 'hex') : Buffer.from(key, 'base64url'),
  );
  if (keys.length === 0 || decoded.some((key) => key.length !== 32)) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be one or more comma-separated 32-byte keys (base64url or 64 hex digits)',
    });
  }
  return decoded.map((key) => key.toString('base64url'));
}

/** Without TOKEN_ENCRYPTION_KEY, a key is derived from SESSION_SECRET (HKDF-SHA256, RFC 5869). */
function deriveTokenKey(secret: string): string {
  return Buffer.from(
    hkdfSync('sha256', secret, 'rcapp-token-encryption', 'AES-256-GCM tokens at rest', 32),
  ).toString('base64url');
}

/** As Express's `trust proxy` takes it: "false"/"true", a hop count, or a list of addresses and subnets. */
function parseTrustProxy(value: string): boolean | number | string {
  if (/^(false|0)$/i.test(value)) return false;
  if (/^true$/i.test(value)) return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/** `NAME=` in a .env file means "not set", so defaults apply (as after `cp .env.example .env`). */
function withoutBlanks(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1].trim() !== '',
    ),
  );
}

function stripTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null) deepFreeze(child);
  }
  return Object.freeze(value);
}

/**
 * Demo mode: no RingCentral credentials and not production. The entry point then starts the
 * built-in emulator instead of talking to RingCentral. Never in production.
 */
export function isDemoMode(env: Record<string, string | undefined>): boolean {
  const blank = (value: string | undefined) => value === undefined || value.trim() === '';
  return (
    env['NODE_ENV'] !== 'production' &&
    blank(env['RINGCENTRAL_CLIENT_ID']) &&
    blank(env['RINGCENTRAL_CLIENT_SECRET'])
  );
}
