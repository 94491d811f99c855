// Floor for `dashboard`: the app's own session middleware and store, dashboard route, page and signed-in
// session, with none of the app's other middleware: no security headers, access log, session lifetime,
// no-store or auto-refresh, no health, asset or sign-in routes. What showing this page costs on this stack
// (Express + express-session + EJS), whatever the rest of an app does.
import { randomBytes } from 'node:crypto';
import express from 'express';
import { createTokenVault } from '../../src/session/token-vault';
import { createDashboardRouter } from '../../src/web/dashboard-router';
import { createAuthSession } from '../../src/web/session';
import { createSessionMiddleware } from '../../src/web/session-middleware';
import { createViewEngine, VIEWS_DIR } from '../../src/web/view-engine';
import { exampleSignIn } from '../example-sign-in';
import { config, sessionStore } from './floor-config';

const authSession = createAuthSession(createTokenVault(config.session.tokenKeys));
const app = express();
app.set('view engine', 'ejs');
app.set('views', VIEWS_DIR);
app.engine(
  'ejs',
  createViewEngine(() => app.enabled('view cache')),
);
app.set('etag', false);
app.locals['basePath'] = '';
app.use(createSessionMiddleware(config.session, sessionStore));
app.get('/set', (req, res) => {
  authSession.write(req, exampleSignIn(Date.now()));
  req.session.csrfToken = randomBytes(32).toString('base64url');
  res.send('ok');
});
app.use(createDashboardRouter({ authSession, serverUrl: config.ringcentral.serverUrl }));
app.listen(Number(process.env['PORT']), '127.0.0.1');
