// A valid Config for tests, built through the real loadConfig without touching process.env.
import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../src/config';

/**
 * A strong session secret, made at run time: production refuses a guessable one, and no secret that looks
 * real belongs in the repository.
 */
export const strongSessionSecret = (): string => randomBytes(32).toString('base64url');

export const TEST_CLIENT = { clientId: 'test-client', clientSecret: 'test-secret-with+special%chars:' };

export function makeTestConfig(env: Record<string, string | undefined> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    BASE_URL: 'http://localhost:3000',
    RINGCENTRAL_SERVER_URL: 'http://127.0.0.1:9',
    RINGCENTRAL_CLIENT_ID: TEST_CLIENT.clientId,
    RINGCENTRAL_CLIENT_SECRET: TEST_CLIENT.clientSecret,
    SESSION_SECRET: 'a-test-session-secret-that-is-long-enough',
    SESSION_STORE: 'memory',
    LOG_LEVEL: 'info',
    RINGCENTRAL_TIMEOUT_MS: '2000',
    // Tests sign in many times a minute; test/security/rate-limit.test.ts sets its own low limit.
    SIGNIN_RATE_LIMIT_PER_MINUTE: '100000',
    ...env,
  });
}
