// Real processes for the deployment suite: the built app (`node dist/main.js`, as the image runs it) and
// nginx from deploy/nginx/rcapp.conf.template, each on 127.0.0.1 and a free port.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitUntil } from './redis-server';

const ROOT = path.join(__dirname, '..', '..', '..');

export interface AppProcess {
  readonly port: number;
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout so far (its JSON log lines). */
  logs(): string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startAppProcess(
  port: number,
  env: Record<string, string>,
  options: { cwd?: string; command?: string[] } = {},
): Promise<AppProcess> {
  const [command, ...args] = options.command ?? ['node', 'dist/main.js'];
  const child = spawn(command ?? 'node', args, {
    cwd: options.cwd ?? ROOT,
    env: { PATH: process.env['PATH'] ?? '', PORT: String(port), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(async () => {
    if (child.exitCode !== null) throw new Error(`app exited at start:\n${output}`);
    return (await fetch(`${url}/healthz`).catch(() => undefined))?.ok === true;
  });
  return {
    port,
    url,
    child,
    logs: () => output,
    stop(signal = 'SIGTERM') {
      if (child.exitCode !== null) return Promise.resolve(child.exitCode);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill(signal);
      return exited;
    },
  };
}

export interface Nginx {
  readonly port: number;
  readonly certificate: string;
  accessLog(): string;
  stop(): Promise<void>;
}

/** nginx with a fresh self-signed certificate for localhost, proxying to the given upstreams. */
export async function startNginx(port: number, upstreams: [string, string]): Promise<Nginx> {
  const dir = mkdtempSync(path.join(tmpdir(), 'rcapp-nginx-'));
  chmodSync(dir, 0o755);
  for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
    mkdirSync(path.join(dir, temp));
    chmodSync(path.join(dir, temp), 0o777); // workers may run as nobody
  }
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  makeSelfSignedCertificate(cert, key);
  const values: Record<string, string> = {
    APP_UPSTREAM_1: upstreams[0],
    APP_UPSTREAM_2: upstreams[1],
    NGINX_LISTEN: `127.0.0.1:${port}`,
    NGINX_SERVER_NAME: 'localhost',
    TLS_CERTIFICATE: cert,
    TLS_CERTIFICATE_KEY: key,
    NGINX_ACCESS_LOG: path.join(dir, 'access.log'),
  };
  // The same substitution the official nginx image does for /etc/nginx/templates/*.template.
  const site = readFileSync(path.join(ROOT, 'deploy', 'nginx', 'rcapp.conf.template'), 'utf8').replace(
    /\$\{([A-Z0-9_]+)\}/g,
    (whole, name: string) => values[name] ?? whole,
  );
  writeFileSync(path.join(dir, 'rcapp.conf'), site);
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    [
      'worker_processes 1;',
      `pid ${dir}/nginx.pid;`,
      `error_log ${dir}/error.log warn;`,
      'events { worker_connections 256; }',
      'http {',
      ...['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
        (temp) => `  ${temp === 'body' ? 'client_body' : temp}_temp_path ${dir}/${temp};`,
      ),
      `  include ${dir}/rcapp.conf;`,
      '}',
    ].join('\n'),
  );
  const child = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: 'ignore',
  });
  const certificate = readFileSync(cert, 'utf8');
  await waitUntil(async () => {
    if (child.exitCode !== null)
      throw new Error(`nginx exited: ${readFileSync(path.join(dir, 'error.log'), 'utf8')}`);
    return new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
  });
  return {
    port,
    certificate,
    accessLog: () => readFileSync(path.join(dir, 'access.log'), 'utf8'),
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGQUIT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A self-signed certificate for localhost (and 127.0.0.1), valid two days, for TLS in tests. */
export function makeSelfSignedCertificate(certificateFile: string, keyFile: string): void {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certificateFile,
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
}
