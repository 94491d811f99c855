// createApp(deps): the Express app, assembled from what it is given. No I/O, no environment, no listen.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import express, { type Express } from 'express';
import session, { type Store } from 'express-session';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { AuthService } from './auth/auth-service.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { createAuthRouter } from './web/auth-router.js';
import { createDashboardRouter } from './web/dashboard-router.js';
import { createErrorHandler, notFound } from './web/error-handler.js';
import { noStore } from './web/no-store.js';

/** One level up from this file: the repo's views/ and public/, from src/ (tsx, Jest) and dist/ alike. */
export const VIEWS_DIR = path.join(__dirname, '..', 'views');
const PUBLIC_DIR = path.join(__dirname, '..', 'public');

export interface AppDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly authService: AuthService;
  /** express-session store; the default in-memory store when omitted. */
  readonly sessionStore?: Store;
  readonly now?: () => number;
}

export function createApp({ config, logger, authService, sessionStore, now = Date.now }: AppDeps): Express {
  const app = express();
  const https = config.session.cookieSecure;
  app.set('view engine', 'ejs');
  app.set('views', VIEWS_DIR);
  app.disable('x-powered-by');

  app.use(
    pinoHttp({
      logger,
      genReqId: (_req, res) => {
        const id = randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // The callback URL carries the authorization code and state: log the path only, never the query.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
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
      // no-referrer: the callback URL (with its code) must never leak to another site through Referer.
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );
  app.use(express.static(PUBLIC_DIR, { index: false }));
  app.use(
    session({
      name: config.session.cookieName,
      secret: config.session.secret,
      store: sessionStore,
      // No session (and no cookie) until there is something to keep; no rewrite on every request.
      resave: false,
      saveUninitialized: false,
      cookie: {
        httpOnly: true,
        // Lax, not Strict: the browser must send the cookie on the redirect back from RingCentral.
        sameSite: 'lax',
        secure: https,
        path: '/',
        maxAge: config.session.ttlMs,
      },
    }),
  );
  app.use(noStore);
  app.use(
    createAuthRouter({
      authService,
      appOrigin: new URL(config.baseUrl).origin,
      sessionCookie: { name: config.session.cookieName, secure: https },
      now,
    }),
  );
  app.use(createDashboardRouter({ serverUrl: config.ringcentral.serverUrl, now }));
  app.use(notFound);
  app.use(createErrorHandler({ logger, showDetails: config.env !== 'production' }));
  return app;
}
