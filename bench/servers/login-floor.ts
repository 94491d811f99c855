// Floor for `login`: what GET /login does (the app's own state, PKCE pair, pending-login entry and
// authorization URL, saved in a new session before the 302), on minimal-stack's bare stack (Express +
// express-session's MemoryStore) with none of the app's middleware: no security headers, access log, rate
// limit, session lifetime or no-store, no other routes. What a sign-in's first step costs on this stack.
import express from 'express';
import session from 'express-session';
import { createAuthService, LOGIN_TTL_MS } from '../../src/auth/auth-service';
import { addPendingLogin } from '../../src/auth/pending-logins';
import { loadConfig } from '../../src/config';
import { createRingCentralClient } from '../../src/ringcentral/ringcentral-client';

const config = loadConfig({
  NODE_ENV: 'production',
  BASE_URL: 'http://127.0.0.1:3000',
  SESSION_SECRET: 'bench-login-floor-secret-0123456789abcdef',
  SESSION_STORE: 'memory',
  RINGCENTRAL_CLIENT_ID: 'bench-app',
  RINGCENTRAL_CLIENT_SECRET: 'bench-client-secret',
  RINGCENTRAL_SERVER_URL: 'http://127.0.0.1:3001',
});
const authService = createAuthService({ client: createRingCentralClient(config.ringcentral) });
const app = express();
app.use(
  session({ secret: 'bench-login-floor-secret-0123456789abcdef', resave: false, saveUninitialized: false }),
);
app.get('/login', (req, res) => {
  const { state, pendingLogin, authorizationUrl } = authService.beginLogin('/');
  req.session.pendingLogins = addPendingLogin(
    req.session.pendingLogins,
    state,
    pendingLogin,
    Date.now(),
    LOGIN_TTL_MS,
  );
  req.session.save((error) =>
    error ? res.sendStatus(503) : res.status(302).location(authorizationUrl).end(),
  );
});
app.listen(Number(process.env['PORT']), '127.0.0.1');
