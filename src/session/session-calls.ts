// express-session's callback operations on one session, as promises. A store that fails while saving is a
// 503, like one that fails while loading (web/session-middleware.ts).
import type { Session, SessionData } from 'express-session';
import { AppError } from '../errors/app-error.js';

/** One browser's session as express-session hands it to a request: its id, its data and its operations. */
export type LiveSession = Session & Partial<SessionData>;

export function storeUnavailable(cause: unknown): AppError {
  return new AppError('STORE_UNAVAILABLE', 'The session store did not answer.', { cause });
}

/** Saved now, not at the end of the response: a redirect must not race that save (express-session README). */
export function saveSession(session: Session): Promise<void> {
  return orUnavailable((done) => session.save(done));
}

export function destroySession(session: Session): Promise<void> {
  return orUnavailable((done) => session.destroy(done));
}

/** A new session id with empty data, the old entry deleted (req.session is replaced). */
export function regenerateSession(session: Session): Promise<void> {
  return orUnavailable((done) => session.regenerate(done));
}

/**
 * One express-session operation as a promise. A plain Promise, not util.promisify: that builds a new
 * function on every call, which a sign-in profile put at 70 µs per sign-in (four calls).
 */
function orUnavailable(operation: (done: (error?: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    operation((error) => (error ? reject(storeUnavailable(error)) : resolve()));
  });
}
