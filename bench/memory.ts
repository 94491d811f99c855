// sessions-100k-rss-mb: the RSS of a process holding the app, composed as in production, after 100,000
// signed-in sessions (sealed tokens, user, CSRF token: what a real sign-in stores, then the first page's
// load and touch) went into the default store, and 20,000 more, to show the store never keeps more than SESSION_MAX_SESSIONS. Also the JS heap per
// session: heap used after a full GC, filled minus empty, divided by the count (peer-memory.ts does the same
// for the passport peer).
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { composeApp } from '../src/compose';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { exampleSignIn } from './example-sign-in';
import { pageView } from './page-view';

const SESSIONS = 100_000;
const EXTRA = 20_000;

async function main() {
  const config = loadConfig({
    NODE_ENV: 'production',
    BASE_URL: 'https://bench.example.test',
    SESSION_SECRET: 'bench-session-secret-0123456789abcdef',
    RINGCENTRAL_CLIENT_ID: 'bench',
    RINGCENTRAL_CLIENT_SECRET: 'bench-secret',
    SESSION_STORE: 'memory',
    SESSION_MAX_SESSIONS: String(SESSIONS),
    LOG_LEVEL: 'silent',
  });
  // The app's own objects write the signed-in state, so the stored shape is exactly what a sign-in stores.
  const { sessionBackend, authSession } = composeApp(config, createLogger('silent'));
  const { store } = sessionBackend;
  const set = promisify(store.set.bind(store));
  const length = promisify((callback: (error: unknown, count?: number) => void) => store.length?.(callback));
  const firstPage = pageView(store);
  const now = Date.now();
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let maxSeen = 0;
  for (let i = 0; i < SESSIONS + EXTRA; i += 1) {
    const session = {
      // A browser-session cookie, as the app sets it: no maxAge, so no expiry; Secure, as BASE_URL is https.
      cookie: {
        originalMaxAge: null,
        expires: null,
        secure: true,
        httpOnly: true,
        path: '/',
        sameSite: 'lax' as const,
      },
      csrfToken: randomBytes(32).toString('base64url'),
    };
    authSession.write(session, exampleSignIn(now));
    const sid = randomBytes(24).toString('base64url');
    await set(sid, session as never);
    await firstPage(sid);
    if (i % 10_000 === 0) maxSeen = Math.max(maxSeen, (await length()) ?? 0);
    if (i === SESSIONS - 1) {
      gc?.();
      const { rss, heapUsed } = process.memoryUsage();
      const filled = {
        phase: 'filled',
        rssMb: rss / 1024 / 1024,
        heapPerSessionBytes: (heapUsed - heapBefore) / SESSIONS,
        count: await length(),
      };
      process.stdout.write(`${JSON.stringify(filled)}\n`);
    }
  }
  maxSeen = Math.max(maxSeen, (await length()) ?? 0);
  process.stdout.write(
    `${JSON.stringify({ phase: 'overfilled', count: await length(), maxSeen, max: SESSIONS })}\n`,
  );
  await sessionBackend.close();
}

void main();
