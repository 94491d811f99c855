// Highly available Redis on loopback for the deploy tests: a master with a replica watched by three
// Sentinels. Started with the settings that make failovers take seconds instead of Redis's defaults
// (../shared/docs/redis-faults-and-ha.md): diskless replication without delay, Sentinel's
// down-after-milliseconds at 1 s, and every replica linked before the test starts.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from 'redis';
import { freePort } from '../../helpers/free-port';
import { waitUntil } from './redis-server';

export interface SentinelSet {
  /** REDIS_SENTINELS, as the app takes it. */
  readonly sentinels: string;
  readonly masterName: string;
  /** SIGKILL of whichever server is the master now. */
  killMaster(): Promise<void>;
  destroy(): Promise<void>;
}

const MASTER_NAME = 'rcapp';

export async function startSentinelSet(): Promise<SentinelSet> {
  const dir = mkdtempSync(path.join(tmpdir(), 'rcapp-sentinel-'));
  const children: ChildProcess[] = [];
  const servers = new Map<number, ChildProcess>();
  const run = (args: string[]) => {
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    children.push(child);
    return child;
  };
  const serverArgs = (port: number) => [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--dbfilename',
    `dump-${port}.rdb`,
    '--save',
    '',
    '--appendonly',
    'no',
    '--repl-diskless-sync',
    'yes',
    '--repl-diskless-sync-delay',
    '0',
  ];

  const [masterPort, replicaPort] = [await freePort(), await freePort()];
  servers.set(masterPort, run(serverArgs(masterPort)));
  await waitUntil(async () => (await info(masterPort, 'replication')).includes('role:master'));
  servers.set(replicaPort, run([...serverArgs(replicaPort), '--replicaof', '127.0.0.1', String(masterPort)]));
  await waitUntil(async () => (await info(replicaPort, 'replication')).includes('master_link_status:up'));

  const sentinelPorts = [await freePort(), await freePort(), await freePort()];
  for (const port of sentinelPorts) {
    const conf = path.join(dir, `sentinel-${port}.conf`);
    writeFileSync(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${masterPort} 2`,
        `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
        `sentinel failover-timeout ${MASTER_NAME} 5000`,
        `sentinel parallel-syncs ${MASTER_NAME} 1`,
        '',
      ].join('\n'),
    );
    run([conf, '--sentinel']);
  }
  // Each Sentinel knows the replica and the two other Sentinels, so a failover can be agreed on.
  await waitUntil(async () => {
    const views = await Promise.all(
      sentinelPorts.map(async (port) => {
        const replicas = await command(port, ['SENTINEL', 'REPLICAS', MASTER_NAME]);
        const others = await command(port, ['SENTINEL', 'SENTINELS', MASTER_NAME]);
        return (
          Array.isArray(replicas) && replicas.length === 1 && Array.isArray(others) && others.length === 2
        );
      }),
    );
    return views.every(Boolean);
  }, 200);

  return {
    sentinels: sentinelPorts.map((port) => `127.0.0.1:${port}`).join(','),
    masterName: MASTER_NAME,
    async killMaster() {
      const answer = await command(sentinelPorts[0] ?? 0, [
        'SENTINEL',
        'GET-MASTER-ADDR-BY-NAME',
        MASTER_NAME,
      ]);
      const port = Number((answer as string[])[1]);
      servers.get(port)?.kill('SIGKILL');
    },
    async destroy() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.kill('SIGKILL');
            }),
        ),
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function command(port: number, args: string[]): Promise<unknown> {
  const client = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: false } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.sendCommand(args);
  } catch {
    return undefined;
  } finally {
    if (client.isOpen) client.destroy();
  }
}

async function info(port: number, section: string): Promise<string> {
  const answer = await command(port, ['INFO', section]);
  return typeof answer === 'string' ? answer : '';
}
