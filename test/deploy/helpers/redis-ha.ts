// Highly available Redis on loopback for the deploy tests: a master with a replica watched by three
// Sentinels. Started with the settings that make failovers take seconds instead of Redis's defaults
// (../shared/docs/redis-faults-and-ha.md): diskless replication without delay, Sentinel's
// down-after-milliseconds at 1 s, and every replica linked before the test starts.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
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

export interface RedisClusterSet {
  /** REDIS_CLUSTER_NODES, as the app takes it. */
  readonly nodes: string;
  /** SIGKILL of the master that holds `key` now. */
  killMasterOf(key: string): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * Three masters with a replica each, cluster-node-timeout 1 s (Redis's default is 15 s before a replica
 * takes over) and cluster-require-full-coverage no, so the other shards keep answering during a failover.
 */
export async function startRedisCluster(): Promise<RedisClusterSet> {
  const dir = mkdtempSync(path.join(tmpdir(), 'rcapp-cluster-'));
  const ports = await Promise.all(Array.from({ length: 6 }, () => freePort()));
  // The cluster bus would be port + 10000 by default: out of range, or taken, for a random free port.
  const busPorts = await Promise.all(ports.map(() => freePort()));
  const servers = new Map<number, ChildProcess>();
  for (const [i, port] of ports.entries()) {
    const child = spawn(
      'redis-server',
      [
        ...dataNodeArgs(port, dir),
        '--cluster-enabled',
        'yes',
        '--cluster-port',
        String(busPorts[i]),
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--cluster-node-timeout',
        '1000',
        '--cluster-require-full-coverage',
        'no',
      ],
      { stdio: 'ignore' },
    );
    servers.set(port, child);
  }
  await waitUntil(async () => (await Promise.all(ports.map((port) => info(port, 'server')))).every(Boolean));
  await promisify(execFile)('redis-cli', [
    '--cluster',
    'create',
    ...ports.map((port) => `127.0.0.1:${port}`),
    '--cluster-replicas',
    '1',
    '--cluster-yes',
  ]);
  // Every node agrees the cluster is whole, and every replica has its copy.
  await waitUntil(async () => {
    const states = await Promise.all(
      ports.map(async (port) => {
        const answer = await command(port, ['CLUSTER', 'INFO']);
        return typeof answer === 'string' ? answer : '';
      }),
    );
    const links = await Promise.all(ports.map((port) => info(port, 'replication')));
    return (
      states.every((state) => state.includes('cluster_state:ok')) &&
      links.filter((link) => link.includes('role:slave')).length === 3 &&
      links
        .filter((link) => link.includes('role:slave'))
        .every((link) => link.includes('master_link_status:up'))
    );
  }, 200);

  return {
    nodes: ports.map((port) => `127.0.0.1:${port}`).join(','),
    async killMasterOf(key) {
      const slot = Number(await command(ports[0] ?? 0, ['CLUSTER', 'KEYSLOT', key]));
      const nodes = String(await command(ports[0] ?? 0, ['CLUSTER', 'NODES']));
      // "<id> 127.0.0.1:<port>@<bus> <flags> <master> ... <slot ranges>": the master whose range has the slot.
      for (const line of nodes.split('\n')) {
        const fields = line.split(' ');
        if (!(fields[2] ?? '').includes('master')) continue;
        const owns = fields.slice(8).some((range) => {
          const [from, to = from] = range.split('-').map(Number);
          return from !== undefined && slot >= from && slot <= (to ?? from);
        });
        if (owns) servers.get(Number(/:(\d+)@/.exec(fields[1] ?? '')?.[1]))?.kill('SIGKILL');
      }
    },
    destroy: () => killAll([...servers.values()], dir),
  };
}

/** `sentinelPorts`: where the Sentinels listen, when a test must name them before they start. */
export async function startSentinelSet(sentinelPorts?: readonly number[]): Promise<SentinelSet> {
  const dir = mkdtempSync(path.join(tmpdir(), 'rcapp-sentinel-'));
  const children: ChildProcess[] = [];
  const servers = new Map<number, ChildProcess>();
  const run = (args: string[]) => {
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    children.push(child);
    return child;
  };
  const serverArgs = (port: number) => dataNodeArgs(port, dir);

  const [masterPort, replicaPort] = [await freePort(), await freePort()];
  servers.set(masterPort, run(serverArgs(masterPort)));
  await waitUntil(async () => (await info(masterPort, 'replication')).includes('role:master'));
  servers.set(replicaPort, run([...serverArgs(replicaPort), '--replicaof', '127.0.0.1', String(masterPort)]));
  await waitUntil(async () => (await info(replicaPort, 'replication')).includes('master_link_status:up'));

  const ports = sentinelPorts ?? [await freePort(), await freePort(), await freePort()];
  for (const port of ports) {
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
      ports.map(async (port) => {
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
    sentinels: ports.map((port) => `127.0.0.1:${port}`).join(','),
    masterName: MASTER_NAME,
    async killMaster() {
      const answer = await command(ports[0] ?? 0, ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME]);
      const port = Number((answer as string[])[1]);
      servers.get(port)?.kill('SIGKILL');
    },
    destroy: () => killAll(children, dir),
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

/** SIGKILL of every process still running, then their data removed. */
async function killAll(processes: readonly ChildProcess[], dir: string): Promise<void> {
  await Promise.all(
    processes.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
  rmSync(dir, { recursive: true, force: true });
}

/** A data node on loopback, without persistence, replicating at once (no diskless-sync delay). */
function dataNodeArgs(port: number, dir: string): string[] {
  return [
    ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--dbfilename', `dump-${port}.rdb`],
    ...['--save', '', '--appendonly', 'no'],
    ...['--repl-diskless-sync', 'yes', '--repl-diskless-sync-delay', '0'],
  ];
}
