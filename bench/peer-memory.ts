// The passport peer's JS heap per signed-in session, measured as memory.ts measures the app's: express-session's
// default MemoryStore filled with 100,000 sessions shaped as the peer's sign-in leaves them (passport's user
// with both tokens, the same token sizes as the app's; then the first page's load and touch), heap used after a full GC, filled minus empty.
import { promisify } from 'node:util';
import session from 'express-session';
import { exampleSignIn } from './example-sign-in';
import { pageView } from './page-view';

const SESSIONS = 100_000;

async function main() {
  const store = new session.MemoryStore();
  const set = promisify(store.set.bind(store));
  const firstPage = pageView(store);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const now = Date.now();
  for (let i = 0; i < SESSIONS; i += 1) {
    const { tokens, user } = exampleSignIn(now);
    const data = {
      cookie: { originalMaxAge: null, expires: null, httpOnly: true, path: '/' },
      passport: {
        user: {
          id: user.id,
          name: user.name,
          accessToken: tokens.accessToken,
          refreshToken: tokens.refreshToken,
          expiresAt: tokens.expiresAt,
        },
      },
    };
    const sid = `peer-${i}-${now}`;
    await set(sid, data as never);
    await firstPage(sid);
  }
  gc?.();
  const heapPerSessionBytes = (process.memoryUsage().heapUsed - heapBefore) / SESSIONS;
  process.stdout.write(`${JSON.stringify({ phase: 'peer', heapPerSessionBytes })}\n`);
}

void main();
