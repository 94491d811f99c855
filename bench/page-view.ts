// The memory scenarios' stand-in for the page that follows every sign-in.
import type { SessionData, Store } from 'express-session';

/**
 * What the page after a sign-in does to the store: the callback redirects to the dashboard, whose request
 * loads the session and, leaving it unchanged, touches it. A session nobody ever opened would not be a
 * signed-in user's: V8 keeps a string fresh from JSON.stringify in pieces until it is first read, about 190
 * bytes more per session here.
 */
export function pageView(store: Store): (sid: string) => Promise<void> {
  return async (sid) => {
    const session = await new Promise<SessionData>((resolve, reject) =>
      store.get(sid, (_error, found) =>
        found ? resolve(found) : reject(new Error(`session ${sid} not found`)),
      ),
    );
    await new Promise<void>((resolve) =>
      store.touch ? store.touch(sid, session, () => resolve()) : resolve(),
    );
  };
}
