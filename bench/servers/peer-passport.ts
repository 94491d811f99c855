// The peer baseline (issue 24): the sign-in app a developer gets from a popular tutorial, written that way on
// purpose: passport + passport-oauth2 + express-session's default MemoryStore + EJS. State on, the user
// fetched in the verify callback, tokens kept in the session's user, a page showing who and when it expires.
// Not a model (it sends the client secret twice, in the Basic header and the form, and has no PKCE, CSRF,
// security headers, encryption or access log): the yardstick people would otherwise pick.
import path from 'node:path';
import axios from 'axios';
import express, { type RequestHandler } from 'express';
import session from 'express-session';
import passport from 'passport';
import OAuth2Strategy from 'passport-oauth2';

const env = process.env;
const server = env['RINGCENTRAL_SERVER_URL'] ?? '';
const clientId = env['RINGCENTRAL_CLIENT_ID'] ?? '';
const clientSecret = env['RINGCENTRAL_CLIENT_SECRET'] ?? '';
const baseUrl = env['BASE_URL'] ?? '';

interface User {
  id: string;
  name: string;
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
}

passport.use(
  new OAuth2Strategy(
    {
      authorizationURL: `${server}/restapi/oauth/authorize`,
      tokenURL: `${server}/restapi/oauth/token`,
      clientID: clientId,
      clientSecret,
      callbackURL: `${baseUrl}/oauth/callback`,
      state: true,
      // RingCentral wants Basic client authentication; the strategy also puts the secret in the form.
      customHeaders: {
        Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      },
    },
    (
      accessToken: string,
      refreshToken: string,
      params: { expires_in: number },
      _profile: unknown,
      done: (error: unknown, user?: User) => void,
    ) => {
      axios
        .get<{ id: number; name: string }>(`${server}/restapi/v1.0/account/~/extension/~`, {
          headers: { Authorization: `Bearer ${accessToken}` },
        })
        .then(({ data }) =>
          done(null, {
            id: String(data.id),
            name: data.name,
            accessToken,
            refreshToken,
            expiresAt: Date.now() + params.expires_in * 1000,
          }),
        )
        .catch(done);
    },
  ),
);
passport.serializeUser((user, done) => done(null, user));
passport.deserializeUser((user: User, done) => done(null, user));

const app = express();
app.set('view engine', 'ejs');
app.set('views', path.join(__dirname));
app.use(session({ secret: 'bench-peer-secret-0123456789', resave: false, saveUninitialized: false }));
app.use(passport.session());
app.get('/healthz', (_req, res) => void res.send('ok'));
// @types/passport types authenticate() loosely; it is an Express handler.
const signIn = passport.authenticate('oauth2') as RequestHandler;
const callback = passport.authenticate('oauth2', { failureRedirect: '/' }) as RequestHandler;
app.get('/login', signIn);
app.get('/oauth/callback', callback, (_req, res) => res.redirect('/'));
app.get('/', (req, res) => {
  const user = req.user as User | undefined;
  if (user === undefined) return void res.send('<a href="/login">Sign in with RingCentral</a>');
  res.render('peer', { user, expires: new Date(user.expiresAt).toISOString() });
});
app.listen(Number(env['PORT']), '127.0.0.1');
// An exit rather than death by signal, so that node writes its CPU profile under BENCH_PROFILE.
process.on('SIGTERM', () => process.exit(0));
