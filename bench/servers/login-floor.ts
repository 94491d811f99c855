// Floor for `login`: what GET /login does (the app's own state, PKCE pair, pending-login entry and
// authorization URL, saved in a new session in the app's store before the 302), with none of the app's
// middleware: no security headers, access log, rate limit, session lifetime or no-store, no other routes.
// What a sign-in's first step costs on this stack (Express + express-session), whatever the rest of an app does.
import express from 'express';
import { createAuthService, LOGIN_TTL_MS } from '../../src/auth/auth-service';
import { addPendingLogin } from '../../src/auth/pending-logins';
import { createRingCentralClient } from '../../src/ringcentral/ringcentral-client';
import { createSessionMiddleware } from '../../src/web/session-middleware';
import { config, sessionStore } from './floor-config';

const authService = createAuthService({ client: createRingCentralClient(config.ringcentral) });
const app = express();
app.use(createSessionMiddleware(config.session, sessionStore));
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
