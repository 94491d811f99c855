import { isDemoMode, loadConfig } from '../../src/config';
import { ConfigError } from '../../src/errors/app-error';
import { strongSessionSecret } from '../helpers/test-config';

const CREDENTIALS = { RINGCENTRAL_CLIENT_ID: 'id', RINGCENTRAL_CLIENT_SECRET: 'secret' };
/** As `openssl rand -base64 32` makes one: production refuses a guessable secret. */
const SECRET = strongSessionSecret();

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('fills the documented defaults', () => {
    const config = loadConfig({ ...CREDENTIALS, SESSION_SECRET: SECRET });

    expect(config.port).toBe(3000);
    expect(config.baseUrl).toBe('http://localhost:3000');
    expect(config.env).toBe('development');
    expect(config.logLevel).toBe('info');
    expect(config.ringcentral.serverUrl).toBe('https://platform.ringcentral.com');
    expect(config.ringcentral.redirectUri).toBe('http://localhost:3000/oauth/callback');
    expect(config.session.cookie.secure).toBe(false);
    expect(config.session.cookie.name).toBe('rcapp.sid');
  });

  it('derives the redirect URI from BASE_URL (trailing slash or not) unless RINGCENTRAL_REDIRECT_URI is set', () => {
    expect(loadConfig({ ...CREDENTIALS, BASE_URL: 'https://app.example.com/' }).ringcentral.redirectUri).toBe(
      'https://app.example.com/oauth/callback',
    );
    expect(
      loadConfig({ ...CREDENTIALS, RINGCENTRAL_REDIRECT_URI: 'https://x.example/cb' }).ringcentral
        .redirectUri,
    ).toBe('https://x.example/cb');
  });

  it('follows a BASE_URL path: redirect URI, cookie path, and __Secure- instead of __Host-', () => {
    const config = loadConfig({ ...CREDENTIALS, BASE_URL: 'https://example.com/signin/' });

    expect(config.basePath).toBe('/signin');
    expect(config.ringcentral.redirectUri).toBe('https://example.com/signin/oauth/callback');
    expect(config.session.cookie.path).toBe('/signin');
    expect(config.session.cookie.name).toBe('__Secure-rcapp.sid');
  });

  it('uses a Secure __Host- cookie when BASE_URL is https', () => {
    const config = loadConfig({ ...CREDENTIALS, BASE_URL: 'https://app.example.com' });

    expect(config.session.cookie.secure).toBe(true);
    expect(config.session.cookie.name).toBe('__Host-rcapp.sid');
  });

  it('lists every missing setting at once in production', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });

    expect(problems).toEqual(
      expect.arrayContaining([
        'RINGCENTRAL_CLIENT_ID is required',
        'RINGCENTRAL_CLIENT_SECRET is required',
        'BASE_URL is required in production',
        'SESSION_SECRET is required in production',
        'SESSION_STORE is required in production: redis (with REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES) to share sessions between instances, or memory for a single instance',
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it('ends sessions after 30 idle minutes and 8 hours in all, the idle time never longer than the lifetime', () => {
    const defaults = loadConfig({ ...CREDENTIALS, SESSION_SECRET: SECRET });
    const short = loadConfig({ ...CREDENTIALS, SESSION_SECRET: SECRET, SESSION_TTL_SECONDS: '600' });

    expect(defaults.session.idleTimeoutMs).toBe(1_800_000);
    expect(defaults.session.lifetimeMs).toBe(28_800_000);
    expect(short.session.idleTimeoutMs).toBe(600_000);
    expect(
      problemsOf({
        ...CREDENTIALS,
        SESSION_SECRET: SECRET,
        SESSION_TTL_SECONDS: '3600',
        SESSION_IDLE_TIMEOUT_SECONDS: '7200',
      }),
    ).toEqual([
      'SESSION_IDLE_TIMEOUT_SECONDS must not be longer than SESSION_TTL_SECONDS (the absolute lifetime)',
    ]);
  });

  it('keeps sessions in this process outside production, and in production only when told to', () => {
    const production = {
      ...CREDENTIALS,
      NODE_ENV: 'production',
      BASE_URL: 'https://signin.example.com',
      SESSION_SECRET: SECRET,
    };

    expect(loadConfig({ ...CREDENTIALS, SESSION_SECRET: SECRET }).session.store).toBe('memory');
    expect(problemsOf(production)).toEqual([
      expect.stringMatching(/^SESSION_STORE is required in production/),
    ]);
    const single = loadConfig({ ...production, SESSION_STORE: 'memory' });
    expect(single.session.store).toBe('memory');
    expect(single.warnings).toContainEqual(expect.stringContaining('SESSION_STORE=memory'));
  });

  it('reports malformed values by name', () => {
    const problems = problemsOf({
      ...CREDENTIALS,
      PORT: 'eighty',
      BASE_URL: 'ftp://x',
      SESSION_SECRET: 'short',
      LOG_LEVEL: 'loud',
    });

    expect(problems.map((p) => p.split(' ')[0])).toEqual(
      expect.arrayContaining(['PORT', 'BASE_URL', 'SESSION_SECRET', 'LOG_LEVEL']),
    );
  });

  it('makes up a session secret outside production, and warns that sessions end on restart', () => {
    const config = loadConfig(CREDENTIALS);

    expect(config.session.secret.length).toBeGreaterThanOrEqual(32);
    expect(config.warnings.join(' ')).toContain('SESSION_SECRET');
  });

  it('returns a frozen object', () => {
    const config = loadConfig(CREDENTIALS);

    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.ringcentral)).toBe(true);
  });
});

describe('isDemoMode', () => {
  it('is on without credentials outside production', () => {
    expect(isDemoMode({})).toBe(true);
    expect(isDemoMode({ RINGCENTRAL_CLIENT_ID: '  ' })).toBe(true);
  });

  it('is off with any credential set, and always in production', () => {
    expect(isDemoMode({ RINGCENTRAL_CLIENT_ID: 'id' })).toBe(false);
    expect(isDemoMode({ NODE_ENV: 'production' })).toBe(false);
  });
});

describe('loadConfig with a copied .env.example', () => {
  it('treats empty values as unset, so the defaults apply', () => {
    const config = loadConfig({
      ...CREDENTIALS,
      BASE_URL: '',
      LOG_LEVEL: '',
      RINGCENTRAL_REDIRECT_URI: '',
      SESSION_SECRET: '',
    });

    expect(config.baseUrl).toBe('http://localhost:3000');
    expect(config.logLevel).toBe('info');
    expect(config.ringcentral.redirectUri).toBe('http://localhost:3000/oauth/callback');
  });

  describe('Redis: one server, Sentinel or Cluster', () => {
    const redis = { ...CREDENTIALS, SESSION_SECRET: SECRET, SESSION_STORE: 'redis' };

    it('takes a URL, Sentinels with the master name, or Cluster nodes', () => {
      expect(loadConfig({ ...redis, REDIS_URL: 'redis://r:6379' }).session.redis?.target).toEqual({
        kind: 'single',
        url: 'redis://r:6379',
      });
      const sentinel = loadConfig({
        ...redis,
        REDIS_SENTINELS: 's1:26379, s2:26379',
        REDIS_SENTINEL_MASTER: 'mymaster',
        REDIS_PASSWORD: 'p',
        REDIS_TLS: 'true',
      }).session.redis;
      expect(sentinel?.target).toEqual({
        kind: 'sentinel',
        masterName: 'mymaster',
        sentinels: [
          { host: 's1', port: 26379 },
          { host: 's2', port: 26379 },
        ],
      });
      expect([sentinel?.password, sentinel?.tls]).toEqual(['p', true]);
      expect(loadConfig({ ...redis, REDIS_CLUSTER_NODES: 'c1:7000' }).session.redis?.target).toEqual({
        kind: 'cluster',
        nodes: [{ host: 'c1', port: 7000 }],
      });
    });

    it('refuses none, more than one, a Sentinel list without the master name, or malformed nodes', () => {
      expect(problemsOf(redis)).toEqual([
        expect.stringMatching(/^SESSION_STORE =redis needs one of REDIS_URL/),
      ]);
      expect(problemsOf({ ...redis, REDIS_URL: 'redis://r:6379', REDIS_CLUSTER_NODES: 'c1:7000' })).toEqual([
        expect.stringContaining('not REDIS_URL and REDIS_CLUSTER_NODES'),
      ]);
      expect(problemsOf({ ...redis, REDIS_SENTINELS: 's1:26379' })).toEqual([
        expect.stringMatching(/^REDIS_SENTINEL_MASTER and REDIS_SENTINELS go together/),
      ]);
      expect(problemsOf({ ...redis, REDIS_CLUSTER_NODES: 'c1' })).toEqual([
        expect.stringMatching(/^REDIS_CLUSTER_NODES must be host:port pairs/),
      ]);
    });
  });
});
