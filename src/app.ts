// createApp(deps): the Express app, assembled from what it is given. No I/O, no environment, no listen.
import path from 'node:path';
import express, { Router, type Express } from 'express';
import type { Store } from 'express-session';
import helmet from 'helmet';
import type { AuthService } from './auth/auth-service.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { createAccessLog } from './web/access-log.js';
import { createAuthRouter } from './web/auth-router.js';
import { createDashboardRouter } from './web/dashboard-router.js';
import { createErrorHandler, notFound } from './web/error-handler.js';
import { createHealthRouter, type Readiness } from './web/health-router.js';
import { noStore } from './web/no-store.js';
import { createSessionLifetime } from './web/session-lifetime.js';
import { createSessionMiddleware } from './web/session-middleware.js';
import { createAutoRefresh } from './web/auto-refresh.js';
import { createSignInRateLimit } from './web/signin-rate-limit.js';
import { createTokenRefresher } from './web/token-refresher.js';
import type { RefreshLock } from './session/session-store.js';
import { createAuthSession } from './web/session.js';
import { createTokenVault } from './session/token-vault.js';
import { createViewEngine, VIEWS_DIR } from './web/view-engine.js';

/** One level up from this file: the repo's public/, from src/ (tsx, Jest) and dist/ alike. */
const PUBLIC_DIR = path.join(__dirname, '..', 'public');

export interface AppDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly authService: AuthService;
  readonly sessionStore: Store;
  readonly refreshLock: RefreshLock;
  readonly readiness: Readiness;
  readonly now?: () => number;
}

export function createApp({
  config,
  logger,
  authService,
  sessionStore,
  refreshLock,
  readiness,
  now = Date.now,
}: AppDeps): Express {
  const app = express();
  const https = config.session.cookieSecure;
  const authSession = createAuthSession(createTokenVault(config.session.tokenKeys));
  const refresher = createTokenRefresher({
    authService,
    authSession,
    store: sessionStore,
    lock: refreshLock,
    now,
  });
  const cookie = { name: config.session.cookieName, path: config.session.cookiePath, secure: https };
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

  app.use(createAccessLog(logger));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // Scripts and styles only from our own files: no inline code, so injected markup cannot run.
          'script-src': ["'self'"],
          'style-src': ["'self'"],
          'form-action': ["'self'"],
          // Only meaningful (and only harmless) when the app is served over https.
          'upgrade-insecure-requests': https ? [] : null,
        },
      },
      strictTransportSecurity: https,
      // unsafe-none: the sign-in popup comes back from RingCentral's origin to our pages, and Chrome severs
      // window.opener on that return when our pages send any other policy (even same-origin-allow-popups),
      // which would leave only the BroadcastChannel fallback. The pages hold no secret; CSP still applies.
      crossOriginOpenerPolicy: { policy: 'unsafe-none' },
      // no-referrer: the callback URL (with its code) must never leak to another site through Referer.
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );
  // Probes answer at the root, for the container and load balancer, and never touch the session store.
  app.use(createHealthRouter(readiness));
  // Everything people see lives under BASE_URL's path (just "/" unless the app is served under a prefix).
  app.locals['basePath'] = config.basePath;
  const site = Router();
  // Under /assets only: mounted at the root, every page request would first cost a filesystem lookup.
  site.use('/assets', express.static(PUBLIC_DIR, { index: false }));
  site.use(createSessionMiddleware(config.session, sessionStore));
  site.use(createSessionLifetime({ authSession, authService, lifetimeMs: config.session.lifetimeMs, now }));
  site.use(noStore);
  site.use(
    createAutoRefresh({ authSession, refresher, windowMs: config.session.refreshWindowMs, cookie, now }),
  );
  site.use(
    createAuthRouter({
      basePath: config.basePath,
      authService,
      authSession,
      refresher,
      appOrigin: new URL(config.baseUrl).origin,
      sessionCookie: cookie,
      signInRateLimit: createSignInRateLimit(config.signInRateLimitPerMinute, now),
      now,
    }),
  );
  site.use(createDashboardRouter({ authSession, serverUrl: config.ringcentral.serverUrl, now }));
  app.use(config.basePath === '' ? '/' : config.basePath, site);
  app.use(notFound);
  app.use(createErrorHandler({ logger, showDetails: config.env !== 'production' }));
  return app;
}
