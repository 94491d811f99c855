// The composition root: builds every object the app is made of, once, from a Config, and hands them to
// createApp. The server, the demo, the tests and the benchmark all run this same assembly.
import type { Express } from 'express';
import { createApp } from './app.js';
import { createAuthService, LOGIN_TTL_MS } from './auth/auth-service.js';
import { CALLBACK_PATH, type Config } from './config.js';
import type { Logger } from './logger.js';
import { createRingCentralClient } from './ringcentral/ringcentral-client.js';
import { createAuthSession, type AuthSession } from './session/auth-session.js';
import { createSessionBackend, type SessionBackend } from './session/session-backend.js';
import { createTokenRefresher } from './session/token-refresher.js';
import { createTokenVault } from './session/token-vault.js';
import type { Readiness } from './web/health-router.js';
import { createLoginTransactions } from './web/login-transaction.js';
import { createRefreshRateLimit, createSignInRateLimit } from './web/rate-limits.js';
import { createUserApi } from './web/user-api.js';

export interface ComposeOptions {
  readonly now?: () => number;
  /** Tests may pass their own (a broken store, say); otherwise built from config.session. */
  readonly sessionBackend?: SessionBackend;
  /** Demo mode: the built-in emulator's URL, for the banner on every page. */
  readonly demoEmulatorUrl?: string;
}

export interface Composed {
  readonly app: Express;
  /** Closed by the server after the last request. */
  readonly sessionBackend: SessionBackend;
  /** Writes session data exactly as a sign-in does (the memory benchmark fills a store with it). */
  readonly authSession: AuthSession;
  /** From now on /readyz answers 503, so load balancers stop sending new requests. */
  beginShutdown(): void;
}

export function composeApp(config: Config, logger: Logger, options: ComposeOptions = {}): Composed {
  const now = options.now ?? Date.now;
  const sessionBackend = options.sessionBackend ?? createSessionBackend(config.session, logger, now);
  const client = createRingCentralClient(config.ringcentral);
  const authService = createAuthService({ client, now });
  const vault = createTokenVault(config.session.tokenKeys);
  const authSession = createAuthSession(vault);
  const refresher = createTokenRefresher({
    authService,
    authSession,
    store: sessionBackend.store,
    lock: sessionBackend.lock,
    now,
  });
  let shuttingDown = false;
  const readiness: Readiness = {
    async check() {
      if (shuttingDown) return { ready: false, reason: 'shutting down' };
      return (await sessionBackend.isReady())
        ? { ready: true }
        : { ready: false, reason: 'session store unavailable' };
    },
  };
  const app = createApp({
    config,
    logger,
    authService,
    authSession,
    refresher,
    sessionStore: sessionBackend.store,
    loginTransactions: createLoginTransactions({
      vault,
      callbackPath: `${config.basePath}${CALLBACK_PATH}`,
      secure: config.session.cookie.secure,
      // Five minutes past a sign-in's own limit, so that a late callback reads "expired", not "lost".
      lifetimeMs: LOGIN_TTL_MS + 5 * 60_000,
    }),
    onceOnly: sessionBackend.onceOnly,
    signInRateLimit: createSignInRateLimit(
      config.signInRateLimitPerMinute,
      now,
      sessionBackend.rateLimitStore,
    ),
    refreshRateLimit: createRefreshRateLimit(now, sessionBackend.rateLimitStore),
    callAsUser: createUserApi({ client, authSession, refresher, cookie: config.session.cookie, now }),
    isStoreReady: () => sessionBackend.isReady(),
    readiness,
    now,
    ...(options.demoEmulatorUrl === undefined ? {} : { demo: { emulatorUrl: options.demoEmulatorUrl } }),
  });
  return { app, sessionBackend, authSession, beginShutdown: () => void (shuttingDown = true) };
}
