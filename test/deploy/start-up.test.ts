// What a developer sees in the terminal when the app starts: where to go and what to register, never a secret.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../helpers/free-port';
import { startAppProcess } from './helpers/processes';
import { waitUntil } from './helpers/redis-server';

const SECRET = 'start-up-test-client-secret-0123456789';

describe('start-up', () => {
  it('prints where to open the app and the redirect URI to register, with real credentials', async () => {
    const port = await freePort();
    const app = await startAppProcess(port, {
      NODE_ENV: 'development',
      BASE_URL: `http://localhost:${port}`,
      RINGCENTRAL_SERVER_URL: 'http://127.0.0.1:9',
      RINGCENTRAL_CLIENT_ID: 'my-app',
      RINGCENTRAL_CLIENT_SECRET: SECRET,
    });
    try {
      // The banner follows the listen that /healthz, which startAppProcess waits for, already answers.
      await waitUntil(() => Promise.resolve(app.logs().includes('Stop with Ctrl+C.')));
      const output = app.logs();
      expect(output).toContain(`Open http://localhost:${port} and click "Sign in with RingCentral".`);
      expect(output).toContain(
        `Redirect URI to register in the app's settings, exactly: http://localhost:${port}/oauth/callback`,
      );
      expect(output).toContain('app (client id) my-app');
      expect(output).not.toContain(SECRET);
    } finally {
      await app.stop();
    }
  });

  it('says it is compiling before the first start, and not after', () => {
    const fresh = mkdtempSync(path.join(tmpdir(), 'rcapp-start-'));
    const notice = path.join(__dirname, '..', '..', 'scripts', 'compile-notice.cjs');
    try {
      const first = execFileSync('node', [notice], { cwd: fresh, encoding: 'utf8' });
      const later = execFileSync('node', [notice], {
        cwd: path.join(__dirname, '..', '..'),
        encoding: 'utf8',
      });

      expect(first).toBe('Compiling the TypeScript sources (first start only, about 15 s)…\n');
      expect(later).toBe('');
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
