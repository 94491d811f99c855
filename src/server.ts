// Builds the app from a validated Config, listens, and shuts down cleanly on SIGTERM/SIGINT.
import { createServer, type Server } from 'node:http';
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
  /** Demo mode: the built-in emulator's URL, named on every page. */
  readonly demoEmulatorUrl?: string;
}

export async function startServer(
  config: Config,
  logger: Logger,
  options: StartOptions = {},
): Promise<Server> {
  for (const warning of config.warnings) logger.warn(warning);
  const composed = composeApp(
    config,
    logger,
    options.demoEmulatorUrl === undefined ? {} : { demoEmulatorUrl: options.demoEmulatorUrl },
  );
  const server = await listen(composed.app, config, options.host ?? config.host);
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

/** How often Node looks for requests past their time (its default, 30 s, would double the limits). */
const TIMEOUT_CHECK_EVERY_MS = 2_000;

/**
 * Listens on config.port with limits for slow clients: headers and the whole request must arrive in time
 * (else 408), and idle keep-alive connections are closed. Without them a client sending one byte at a time
 * holds a socket for 300 s.
 */
export function listen(app: Express, config: Config, host: string | undefined): Promise<Server> {
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs } = config.http;
  const server = createServer(
    {
      headersTimeout: headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      connectionsCheckingInterval: TIMEOUT_CHECK_EVERY_MS,
    },
    app,
  );
  server.keepAliveTimeout = keepAliveTimeoutMs;
  return new Promise((resolve, reject) => {
    server.listen(config.port, host);
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
