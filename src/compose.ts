// Wires the tiers together from a Config: session store, RingCentral client → auth service → Express app,
// and readiness. Used by the server and by the tests, so both run the same assembly.
import type { Express } from 'express';
import { createApp } from './app.js';
import { createAuthService } from './auth/auth-service.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { createRingCentralClient } from './ringcentral/ringcentral-client.js';
import { createSessionStore, type SessionStore } from './session/session-store.js';

export interface ComposeOptions {
  readonly now?: () => number;
  /** Tests may pass their own; otherwise built from config.session. */
  readonly sessionStore?: SessionStore;
}

export interface Composed {
  readonly app: Express;
  readonly sessionStore: SessionStore;
  /** From now on /readyz answers 503, so load balancers stop sending new requests. */
  beginShutdown(): void;
}

export function composeApp(config: Config, logger: Logger, options: ComposeOptions = {}): Composed {
  const now = options.now ?? Date.now;
  const sessionStore = options.sessionStore ?? createSessionStore(config.session, logger, now);
  let shuttingDown = false;
  const readiness = {
    async check() {
      if (shuttingDown) return { ready: false, reason: 'shutting down' };
      return (await sessionStore.isReady())
        ? { ready: true }
        : { ready: false, reason: 'session store unavailable' };
    },
  };
  const authService = createAuthService({ client: createRingCentralClient(config.ringcentral), now });
  const app = createApp({
    config,
    logger,
    authService,
    sessionStore: sessionStore.store,
    refreshLock: sessionStore.lock,
    readiness,
    now,
  });
  return { app, sessionStore, beginShutdown: () => void (shuttingDown = true) };
}
