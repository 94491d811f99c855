// Sessions on Redis Sentinel (a master, a replica, three Sentinels): the shared failover scenario, and an
// app started before its Sentinels.
import { createLogger } from '../../src/logger';
import { createSessionBackend } from '../../src/session/session-backend';
import { freePort } from '../helpers/free-port';
import { makeTestConfig } from '../helpers/test-config';
import { describeFailover, TIMEOUT_MS } from './helpers/failover-suite';
import { startSentinelSet, type SentinelSet } from './helpers/redis-ha';
import { waitUntil } from './helpers/redis-server';

describeFailover('sessions on Redis Sentinel', async () => {
  const set = await startSentinelSet();
  return {
    env: { REDIS_SENTINELS: set.sentinels, REDIS_SENTINEL_MASTER: set.masterName },
    killMasterOf: () => set.killMaster(),
    destroy: () => set.destroy(),
  };
});

describe('an app started before its Sentinels', () => {
  it('says not ready, then connects by itself once the Sentinels and Redis are up', async () => {
    const ports = [await freePort(), await freePort(), await freePort()];
    const config = makeTestConfig({
      SESSION_STORE: 'redis',
      REDIS_SENTINELS: ports.map((port) => `127.0.0.1:${port}`).join(','),
      REDIS_SENTINEL_MASTER: 'rcapp',
      REDIS_TIMEOUT_MS: String(TIMEOUT_MS),
    });
    const backend = createSessionBackend(config.session, createLogger('silent', process.stdout));
    let set: SentinelSet | undefined;
    try {
      expect(await backend.isReady()).toBe(false);

      set = await startSentinelSet(ports);
      const started = Date.now();
      await waitUntil(() => backend.isReady(), 200);

      process.stdout.write(`ready ${Date.now() - started} ms after the Sentinels were up\n`);
    } finally {
      await backend.close();
      await set?.destroy();
    }
  });
});
