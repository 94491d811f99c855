// Wires the three tiers together from a Config: RingCentral client → auth service → Express app.
// Used by the server and by the tests, so both run the same assembly.
import type { Express } from 'express';
import type { Store } from 'express-session';
import { createApp } from './app.js';
import { createAuthService } from './auth/auth-service.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { createRingCentralClient } from './ringcentral/ringcentral-client.js';

export interface ComposeOptions {
  readonly now?: () => number;
  readonly sessionStore?: Store;
}

export function composeApp(
  config: Config,
  logger: Logger,
  { now = Date.now, sessionStore }: ComposeOptions = {},
): Express {
  const client = createRingCentralClient(config.ringcentral);
  const authService = createAuthService({ client, logger, now });
  return createApp({
    config,
    logger,
    authService,
    now,
    ...(sessionStore === undefined ? {} : { sessionStore }),
  });
}
