// Builds the app from a validated Config, listens, and shuts down cleanly on SIGTERM/SIGINT.
import type { Server } from 'node:http';
import type { Express } from 'express';
import { composeApp } from './compose.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';

/** Longest a shutdown may take before the process exits anyway (docker stop waits 10 s). */
const SHUTDOWN_TIMEOUT_MS = 8_000;

export interface StartOptions {
  /** Interface to listen on; all interfaces by default (containers), loopback in demo mode. */
  readonly host?: string;
  readonly onShutdown?: () => Promise<void>;
}

export async function startServer(
  config: Config,
  logger: Logger,
  options: StartOptions = {},
): Promise<Server> {
  for (const warning of config.warnings) logger.warn(warning);
  const composed = composeApp(config, logger);
  const server = await listen(composed.app, config.port, options.host);
  handleSignals(server, logger, {
    beginShutdown: () => composed.beginShutdown(),
    // After the last request: close the session store (Redis), then whatever the caller started.
    cleanUp: async () => {
      await composed.sessionBackend.close();
      await options.onShutdown?.();
    },
  });
  return server;
}

function listen(app: Express, port: number, host: string | undefined): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = host === undefined ? app.listen(port) : app.listen(port, host);
    server.once('error', reject);
    server.once('listening', () => resolve(server));
  });
}

function handleSignals(
  server: Server,
  logger: Logger,
  hooks: { beginShutdown(): void; cleanUp(): Promise<void> },
) {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1); // a second signal: stop waiting
    stopping = true;
    logger.info({ signal }, 'shutting down');
    hooks.beginShutdown();
    setTimeout(() => process.exit(1), SHUTDOWN_TIMEOUT_MS).unref();
    // Stop accepting, let requests in flight finish, drop idle keep-alive connections.
    server.close(() => {
      hooks
        .cleanUp()
        .catch((error: unknown) => logger.error({ message: String(error) }, 'error while shutting down'))
        .finally(() => {
          logger.info('stopped');
          process.exit(0);
        });
    });
    server.closeIdleConnections();
  };
  process.once('SIGTERM', stop).once('SIGINT', stop);
}
