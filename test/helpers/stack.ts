// Starts the emulator and the app on 127.0.0.1 free ports, wired together, with captured logs.
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import request from 'supertest';
import { composeApp } from '../../src/compose';
import type { SessionBackend } from '../../src/session/session-backend';
import { createLogger } from '../../src/logger';
import type { EmulatorOptions } from '../../src/emulator/emulator-app';
import type { EmulatorClient } from '../../src/emulator/emulator-store';
import { RELAXED_RATE_LIMITS } from '../../src/emulator/emulator-rate-limit';
import { startEmulator, type RunningEmulator } from '../../src/emulator/start-emulator';
import { freePort } from './free-port';
import { makeTestConfig, TEST_CLIENT } from './test-config';

export interface Stack {
  readonly appUrl: string;
  readonly emulator: RunningEmulator;
  readonly sessionBackend: SessionBackend;
  /** A browser: one cookie jar for the app. */
  readonly agent: ReturnType<typeof request.agent>;
  readonly newAgent: () => ReturnType<typeof request.agent>;
  /** Every log line the app wrote, as text. */
  readonly logs: () => string;
  readonly clock: { now: () => number; advance: (ms: number) => void };
  close(): Promise<void>;
}

export interface StackOptions {
  readonly env?: Record<string, string>;
  readonly client?: Partial<EmulatorClient>;
  readonly emulator?: Omit<EmulatorOptions, 'clients' | 'now'>;
  readonly sessionBackend?: SessionBackend;
  /** Serve the app under this path, as BASE_URL=https://host/<path> does. */
  readonly basePath?: string;
  /** Another instance's clock, so that time passes alike for every instance and the emulator. */
  readonly clock?: Stack['clock'];
  /** Another app instance's emulator: several instances, one RingCentral. */
  readonly sharedEmulator?: RunningEmulator;
  /** Run as demo mode does: every page names the emulator in a banner. */
  readonly demo?: boolean;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  let offset = 0;
  const clock = options.clock ?? {
    now: () => Date.now() + offset,
    advance: (ms: number) => void (offset += ms),
  };
  // Tests sign in dozens of times a minute with one app, which RingCentral's Auth limit (5 a minute) would
  // stop: the limits are relaxed here, and the tests of rate limiting set RingCentral's figures back.
  const emulator =
    options.sharedEmulator ??
    (await startEmulator({
      clients: [],
      now: clock.now,
      rateLimits: RELAXED_RATE_LIMITS,
      ...options.emulator,
    }));
  const port = await freePort();
  const config = makeTestConfig({
    BASE_URL: `http://127.0.0.1:${port}${options.basePath ?? ''}`,
    RINGCENTRAL_SERVER_URL: emulator.baseUrl,
    ...options.env,
  });
  emulator.store.setClient({
    clientId: TEST_CLIENT.clientId,
    clientSecret: TEST_CLIENT.clientSecret,
    redirectUris: [config.ringcentral.redirectUri],
    grants: ['authorization_code', 'refresh_token'],
    // Registered as the quick start's app: refresh tokens on, both permissions the pages need.
    issueRefreshTokens: true,
    permissions: ['ReadAccounts', 'ReadCallLog'],
    ...options.client,
  });
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _encoding, done) => void (lines.push(String(chunk)), done()) });
  const logger = createLogger('info', sink);
  const { app, sessionBackend } = composeApp(config, logger, {
    now: clock.now,
    ...(options.sessionBackend === undefined ? {} : { sessionBackend: options.sessionBackend }),
    ...(options.demo === true ? { demoEmulatorUrl: emulator.baseUrl } : {}),
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(port, '127.0.0.1', () => resolve(listening));
  });
  const appUrl = `http://127.0.0.1:${port}`;
  const stack: Stack = {
    appUrl,
    emulator,
    sessionBackend,
    agent: request.agent(appUrl),
    newAgent: () => request.agent(appUrl),
    logs: () => lines.join(''),
    clock,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await sessionBackend.close();
      if (options.sharedEmulator === undefined) await emulator.close();
    },
  };
  // As a load balancer would: no traffic before /readyz says ready (Redis may still be connecting). A store
  // handed in by the test may be broken on purpose, so it is not waited for.
  if (options.sessionBackend === undefined) await waitForReady(stack);
  return stack;
}

async function waitForReady(stack: Stack): Promise<void> {
  for (let tries = 0; (await fetch(`${stack.appUrl}/readyz`)).status !== 200; tries += 1) {
    if (tries === 100) {
      await stack.close();
      throw new Error('the app did not become ready');
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
