// express-session, configured once, with store failures turned into a 503 instead of a hang or a 500.
import type { RequestHandler } from 'express';
import session, { type Store } from 'express-session';
import type { SessionConfig } from '../config.js';
import { randomToken } from '../random-token.js';
import { storeUnavailable } from '../session/session-calls.js';

export function createSessionMiddleware(config: SessionConfig, store: Store): RequestHandler {
  const middleware = session({
    name: config.cookie.name,
    secret: config.secret,
    store,
    // 24 random bytes, as express-session's own generator (uid-safe) makes them, from the shared pool.
    genid: (req) => {
      // Remembered for this request: an id made now cannot have been planted by anyone (see the callback).
      if (req.res !== undefined) req.res.locals.sessionIdIsNew = true;
      return randomToken(24);
    },
    // No session (and no cookie) until there is something to keep; no rewrite on every request, so a
    // request that read the session before a refresh cannot write stale tokens back after it.
    resave: false,
    saveUninitialized: false,
    cookie: {
      httpOnly: true,
      // Lax, not Strict: the browser must send the cookie on the redirect back from RingCentral.
      sameSite: 'lax',
      secure: config.cookie.secure,
      path: config.cookie.path,
      // No maxAge: a browser-session cookie, gone when the browser closes. How long a session lasts is
      // decided on the server: the store's idle TTL and the absolute lifetime (web/session-lifetime.ts).
    },
  });
  return function sessionOrUnavailable(req, res, next) {
    middleware(req, res, (error?: unknown) => {
      if (error !== undefined) return next(storeUnavailable(error));
      // express-session skips the session entirely while its store reports itself disconnected.
      if (req.session === undefined)
        return next(storeUnavailable(new Error('no session: store disconnected')));
      next();
    });
  };
}
