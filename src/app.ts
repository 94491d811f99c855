// createApp(deps): the app's route table. It orders the middleware and mounts the routers, built from the
// objects compose.ts made. No I/O, no environment, no listen.
import path from 'node:path';
import express, { Router, type Express, type RequestHandler } from 'express';
import type { Store } from 'express-session';
import type { AuthService } from './auth/auth-service.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { AuthSession } from './session/auth-session.js';
import type { TokenRefresher } from './session/token-refresher.js';
import { createAccessLog } from './web/access-log.js';
import { createApiRouter } from './web/api-router.js';
import { createAuthRouter } from './web/auth-router.js';
import { createAutoRefresh } from './web/auto-refresh.js';
import { canonicalHost } from './web/canonical-host.js';
import { createDashboardRouter } from './web/dashboard-router.js';
import { createErrorHandler, notFound } from './web/error-handler.js';
import { createHealthRouter, type Readiness } from './web/health-router.js';
import { noStore } from './web/no-store.js';
import { securityHeaders } from './web/security-headers.js';
import { createSessionLifetime } from './web/session-lifetime.js';
import { createSessionMiddleware } from './web/session-middleware.js';
import type { LoginTransactions } from './web/login-transaction.js';
import type { OnceOnly } from './session/session-backend.js';
import type { CallAsUser } from './web/user-api.js';
import { createViewEngine, VIEWS_DIR } from './web/view-engine.js';

/** One level up from this file: the repo's public/, from src/ (tsx, Jest) and dist/ alike. */
const PUBLIC_DIR = path.join(__dirname, '..', 'public');

export interface AppDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly authService: AuthService;
  readonly authSession: AuthSession;
  readonly refresher: TokenRefresher;
  /** express-session's store (memory or Redis). */
  readonly sessionStore: Store;
  readonly loginTransactions: LoginTransactions;
  readonly onceOnly: OnceOnly;
  readonly signInRateLimit: RequestHandler;
  readonly refreshRateLimit: RequestHandler;
  /** RingCentral's REST API as the signed-in user, for the API pages. */
  readonly callAsUser: CallAsUser;
  readonly isStoreReady: () => Promise<boolean>;
  readonly readiness: Readiness;
  readonly now: () => number;
  /** Demo mode: the built-in emulator's URL, which every page names in a banner. */
  readonly demo?: { readonly emulatorUrl: string };
}

export function createApp(deps: AppDeps): Express {
  const { config, logger, authService, authSession, refresher, now } = deps;
  const { basePath, session } = config;
  const app = express();
  // Only then do req.ip and req.protocol follow X-Forwarded-*; absolute URLs never do (they come from BASE_URL).
  app.set('trust proxy', config.trustProxy);
  app.set('view engine', 'ejs');
  app.set('views', VIEWS_DIR);
  app.engine(
    'ejs',
    createViewEngine(() => app.enabled('view cache')),
  );
  app.disable('x-powered-by');
  // Every page is Cache-Control: no-store, so no cache would ever send the ETag back; computing it hashed each
  // page body (a SHA-1 per request). Static assets keep theirs (serve-static's own, from file stats).
  app.set('etag', false);
  app.locals['basePath'] = basePath;
  app.locals['demo'] = deps.demo;

  app.use(createAccessLog(logger));
  app.use(securityHeaders(session.cookie.secure));
  // Probes answer at the root, for the container and load balancer, and never touch the session store.
  app.use(createHealthRouter(deps.readiness));
  if (config.env !== 'production') app.use(canonicalHost(config.baseUrl));

  // Everything people see lives under BASE_URL's path (just "/" unless the app is served under a prefix).
  const site = Router();
  // Under /assets only: mounted at the root, every page request would first cost a filesystem lookup.
  site.use('/assets', express.static(PUBLIC_DIR, { index: false }));
  site.use(createSessionMiddleware(session, deps.sessionStore));
  site.use(createSessionLifetime({ authSession, authService, lifetimeMs: session.lifetimeMs, now }));
  site.use(noStore);
  site.use(
    createAutoRefresh({
      authSession,
      refresher,
      windowMs: session.refreshWindowMs,
      cookie: session.cookie,
      now,
    }),
  );
  site.use(
    createAuthRouter({
      basePath,
      appOrigin: new URL(config.baseUrl).origin,
      authService,
      authSession,
      refresher,
      sessionCookie: session.cookie,
      loginTransactions: deps.loginTransactions,
      onceOnly: deps.onceOnly,
      signInRateLimit: deps.signInRateLimit,
      refreshRateLimit: deps.refreshRateLimit,
      isStoreReady: deps.isStoreReady,
      now,
    }),
  );
  site.use(createDashboardRouter({ basePath, authSession, serverUrl: config.ringcentral.serverUrl, now }));
  site.use(createApiRouter({ basePath, authSession, callAsUser: deps.callAsUser }));
  app.use(basePath === '' ? '/' : basePath, site);

  app.use(notFound);
  app.use(
    createErrorHandler({
      logger,
      showDetails: config.env !== 'production',
      // No session (a probe, an asset) or one that just ended: signed out.
      isSignedIn: (req) => req.session !== undefined && authSession.summary(req.session) !== undefined,
      basePath,
      now,
    }),
  );
  return app;
}
