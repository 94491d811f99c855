// Podman from the tests, configured as scripts/container/podman-env.sh configures it for this sandbox.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

const CACHE_DIR = process.env['RCAPP_CONTAINER_CACHE'] ?? '/var/cache/rcapp-container';
const env = { ...process.env, CONTAINERS_CONF: `${CACHE_DIR}/containers.conf` };

/** The image scripts/container/prepare.sh built from the Dockerfile. */
export const IMAGE = 'rcapp:test';

/** Runs podman and returns its stdout, trimmed; throws with its stderr when it fails. */
export function podman(...args: string[]): string {
  return execFileSync('podman', args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** The same without blocking the event loop: for calls that wait (podman stop) while requests are in flight. */
export async function podmanAsync(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('podman', args, { env, encoding: 'utf8' });
  return stdout.trim();
}

/** podman-compose in `cwd`, with the same configuration and the variables the compose files interpolate. */
export function podmanCompose(cwd: string, variables: Record<string, string>, ...args: string[]): string {
  return execFileSync('podman-compose', args, {
    cwd,
    env: { ...env, ...variables },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Polls `condition` every 100 ms until it holds, or fails after `timeoutMs`. */
export async function until(
  condition: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  while (!(await condition().catch(() => false))) {
    if (Date.now() > giveUpAt) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
