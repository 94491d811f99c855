// The configuration the floor servers build the app's own parts from: production, in-process sessions.
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createSessionStore } from '../../src/session/session-store';

export const config = loadConfig({
  NODE_ENV: 'production',
  BASE_URL: 'http://127.0.0.1:3000',
  SESSION_SECRET: 'bench-floor-session-secret-0123456789abcdef',
  SESSION_STORE: 'memory',
  RINGCENTRAL_CLIENT_ID: 'bench-app',
  RINGCENTRAL_CLIENT_SECRET: 'bench-client-secret',
  RINGCENTRAL_SERVER_URL: 'http://127.0.0.1:3001',
  LOG_LEVEL: 'silent',
});

/** The app's bounded in-process store, with its once-a-minute idle renewal. */
export const sessionStore = createSessionStore(config.session, createLogger('silent')).store;
