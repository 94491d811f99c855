// The EMULATOR_* settings that change how the emulated RingCentral behaves, read the same way by the demo
// (`npm start` without credentials) and by `npm run emulator`. Each one mirrors a RingCentral app setting or
// platform behaviour, so a developer can try it here before meeting it there.
import type { RateLimits } from './emulator-rate-limit.js';
import { RELAXED_RATE_LIMITS } from './emulator-rate-limit.js';
import type { Lifetimes } from './emulator-store.js';

export interface EmulatorEnv {
  /** EMULATOR_APP_PERMISSIONS: the app permissions registered in the "developer console". */
  readonly permissions: readonly string[];
  /** EMULATOR_ISSUE_REFRESH_TOKENS: the console's "Issue refresh tokens" (on unless "false"). */
  readonly issueRefreshTokens: boolean;
  /** EMULATOR_RATE_LIMITS=off relaxes RingCentral's rate limits; anything else keeps them. */
  readonly rateLimits: Partial<RateLimits>;
  /** EMULATOR_ACCESS_TOKEN_SECONDS, EMULATOR_REFRESH_TOKEN_SECONDS. */
  readonly lifetimes: Partial<Lifetimes>;
}

/** What the app's pages need: who signed in (ReadAccounts) and their call log (ReadCallLog). */
export const DEMO_APP_PERMISSIONS = ['ReadAccounts', 'ReadCallLog'];

/** Reads the settings; throws an Error naming the setting when one is malformed. */
export function readEmulatorEnv(env: Record<string, string | undefined>): EmulatorEnv {
  const permissions = list(env['EMULATOR_APP_PERMISSIONS'], ' ,') ?? DEMO_APP_PERMISSIONS;
  const refresh = (env['EMULATOR_ISSUE_REFRESH_TOKENS'] ?? '').trim().toLowerCase();
  if (!['', 'true', 'false'].includes(refresh))
    throw new Error('EMULATOR_ISSUE_REFRESH_TOKENS must be true or false.');
  const limits = (env['EMULATOR_RATE_LIMITS'] ?? '').trim().toLowerCase();
  if (!['', 'on', 'off'].includes(limits)) throw new Error('EMULATOR_RATE_LIMITS must be on or off.');
  const access = seconds(env, 'EMULATOR_ACCESS_TOKEN_SECONDS');
  const refreshLifetime = seconds(env, 'EMULATOR_REFRESH_TOKEN_SECONDS');
  return {
    permissions,
    issueRefreshTokens: refresh !== 'false',
    rateLimits: limits === 'off' ? RELAXED_RATE_LIMITS : {},
    lifetimes: {
      ...(access === undefined ? {} : { accessTokenSeconds: access }),
      ...(refreshLifetime === undefined ? {} : { refreshTokenSeconds: refreshLifetime }),
    },
  };
}

/** One line for the start-up banner: what differs from RingCentral's defaults a developer should know. */
export function describeEmulatorEnv(settings: EmulatorEnv): string {
  const lifetimes = settings.lifetimes;
  return [
    `permissions ${settings.permissions.join(', ') || '(none)'}`,
    settings.issueRefreshTokens ? 'refresh tokens issued' : 'no refresh tokens',
    Object.keys(settings.rateLimits).length === 0 ? "RingCentral's rate limits" : 'rate limits off',
    lifetimes.accessTokenSeconds === undefined ? '' : `access tokens live ${lifetimes.accessTokenSeconds} s`,
    lifetimes.refreshTokenSeconds === undefined
      ? ''
      : `refresh tokens live ${lifetimes.refreshTokenSeconds} s`,
  ]
    .filter(Boolean)
    .join('; ');
}

/** A whole number of seconds, 60 s to 1 year; unset → undefined. */
function seconds(env: Record<string, string | undefined>, name: string): number | undefined {
  const raw = (env[name] ?? '').trim();
  if (raw === '') return undefined;
  const value = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= 60 && value <= 31_536_000))
    throw new Error(`${name} must be a number of seconds, 60 or more.`);
  return value;
}

/** "a, b" or "a b" → ["a", "b"]; "none" → []; unset → undefined (use the default). */
export function list(value: string | undefined, separators = ','): string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (value.trim() === 'none') return [];
  return value
    .split(new RegExp(`[${separators}]`))
    .map((item) => item.trim())
    .filter(Boolean);
}
