// A local stand-in for RingCentral's OAuth endpoints, faithful to ringcentral-oauth.md, for tests and the
// demo. Not RingCentral: it shares no code with the app, so a drift in the app's wire format shows up here.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { createAuthorizeHandlers } from './authorize-endpoint.js';
import { callLogPage } from './call-log-endpoint.js';
import { ApiError, apiErrors, OAuthError } from './emulator-errors.js';
import { createFaults, createFaultsRouter, type EmulatorEndpoint } from './emulator-faults.js';
import {
  createRateLimits,
  RINGCENTRAL_RATE_LIMITS,
  type ApiGroup,
  type RateLimits,
} from './emulator-rate-limit.js';
import {
  createEmulatorStore,
  type DemoUser,
  type EmulatorClient,
  type EmulatorStore,
  type Lifetimes,
} from './emulator-store.js';
import { authenticateClient, grantTokens, readForm } from './token-endpoint.js';

const VIEWS_DIR = path.join(__dirname, '..', '..', 'views');
const MAX_RECORDED_REQUESTS = 1_000;

export const DEMO_USERS: readonly DemoUser[] = [
  {
    extensionId: '101000001',
    accountId: '400000001',
    extensionNumber: '101',
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: 'ada.lovelace@example.com',
  },
  {
    extensionId: '101000002',
    accountId: '400000001',
    extensionNumber: '102',
    firstName: 'Grace',
    lastName: 'Hopper',
    email: 'grace.hopper@example.com',
  },
  {
    // Signs in, but her role may not read call logs: the call-log page shows RingCentral's CMN-408.
    extensionId: '101000003',
    accountId: '400000001',
    extensionNumber: '103',
    firstName: 'Charles',
    lastName: 'Babbage',
    email: 'charles.babbage@example.com',
    deniedPermissions: ['ReadCallLog'],
  },
];

/** Token lifetimes of a RingCentral app unless set: 1 hour and 7 days (§3), codes 60 s. */
export const RINGCENTRAL_LIFETIMES: Lifetimes = {
  accessTokenSeconds: 3600,
  refreshTokenSeconds: 604_800,
  codeSeconds: 60,
};

/**
 * Users for load tests, each signing in in turn: as with real traffic, no user reaches RingCentral's five
 * sessions while sign-ins of theirs are still in flight (a sixth ends the oldest).
 */
export function loadTestUsers(count: number): DemoUser[] {
  return Array.from({ length: count }, (_, i) => ({
    extensionId: String(109_000_001 + i),
    accountId: '400000009',
    extensionNumber: String(9_001 + i),
    firstName: 'Load',
    lastName: `User ${i + 1}`,
    email: `load.user.${i + 1}@example.com`,
  }));
}

export interface EmulatorOptions {
  readonly clients: readonly EmulatorClient[];
  readonly users?: readonly DemoUser[];
  readonly lifetimes?: Partial<Lifetimes>;
  /** Skip the consent page and approve as these users in turn (load tests). */
  readonly autoApproveUserIds?: readonly string[];
  /**
   * Cross-Origin-Opener-Policy of the emulator's pages. "same-origin" (default) severs window.opener of a
   * sign-in popup that passes through them, as an identity provider may; "unsafe-none" keeps it.
   */
  readonly openerPolicy?: 'same-origin' | 'unsafe-none';
  /** Requests per minute of each rate-limit group; RingCentral's documented example figures unless set. */
  readonly rateLimits?: Partial<RateLimits>;
  readonly now?: () => number;
  /** Issue tokens and codes containing "SENTINEL", for leak tests. */
  readonly sentinels?: boolean;
  /** Codes + token sessions above which dead ones are forgotten (default 10,000). */
  readonly pruneAbove?: number;
}

/** What the emulator received, for tests to assert on ("the emulator saw code_verifier and Basic auth"). */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  readonly body: string;
}

export function createEmulatorApp(options: EmulatorOptions) {
  const store = createEmulatorStore({
    clients: options.clients,
    users: options.users ?? DEMO_USERS,
    sentinels: options.sentinels ?? false,
    ...(options.pruneAbove === undefined ? {} : { pruneAbove: options.pruneAbove }),
    lifetimes: { ...RINGCENTRAL_LIFETIMES, ...options.lifetimes },
    now: options.now ?? Date.now,
  });
  const faults = createFaults({
    dropAccessToken: (authorization) => void store.dropAccessToken(bearerOf(authorization) ?? ''),
  });
  const requests: RecordedRequest[] = [];
  const { authorize, decide } = createAuthorizeHandlers(store, options.autoApproveUserIds);
  const limits = createRateLimits({ ...RINGCENTRAL_RATE_LIMITS, ...options.rateLimits }, store.now);
  const authGroup = limits.authGroup;

  /**
   * An API endpoint as RingCentral runs one: the bearer token, then the user's rate limit for the endpoint's
   * group, then the app's permission and the user's (§12), and only then the answer.
   */
  function apiEndpoint(
    endpoint: EmulatorEndpoint,
    group: ApiGroup,
    permission: string,
    answer: (req: Request, user: DemoUser) => unknown,
  ) {
    return [
      faults.middleware(endpoint),
      (req: Request, res: Response) => {
        const caller = authenticateBearer(req, store);
        limits.countApiCall(res, group, caller.clientId, caller.user.extensionId);
        if (!caller.permissions.includes(permission)) throw apiErrors.appPermission(permission);
        if (caller.user.deniedPermissions?.includes(permission)) throw apiErrors.userPermission(permission);
        res.json(answer(req, caller.user));
      },
    ];
  }
  const app = express();
  app.set('view engine', 'ejs');
  app.set('views', VIEWS_DIR);
  app.disable('x-powered-by');
  // The consent form's answer redirects to the app's origin, which `form-action 'self'` would block.
  app.use(
    helmet({
      crossOriginOpenerPolicy: { policy: options.openerPolicy ?? 'same-origin' },
      contentSecurityPolicy: { directives: { 'form-action': null, 'upgrade-insecure-requests': null } },
      strictTransportSecurity: false,
    }),
  );
  // Under a prefix, like the app's: mounted at the root, every API call would first cost a filesystem lookup.
  app.use('/emulator/assets', express.static(path.join(VIEWS_DIR, '..', 'public'), { index: false }));
  app.use(express.text({ type: 'application/x-www-form-urlencoded', limit: '16kb' }));
  // RingCentral tags every answer with a request id (its support asks for it): so does the emulator.
  app.use((_req, res, next) => {
    res.set('RCRequestId', randomUUID());
    next();
  });
  app.use((req, _res, next) => {
    if (requests.length >= MAX_RECORDED_REQUESTS) requests.shift();
    const [pathOnly, query = ''] = req.originalUrl.split('?');
    requests.push({
      method: req.method,
      path: pathOnly ?? '',
      query,
      authorization: req.get('authorization'),
      contentType: req.get('content-type'),
      body: typeof req.body === 'string' ? req.body : '',
    });
    next();
  });

  // The API's version document answers without authentication: what `npm run doctor` uses to test reachability.
  app.get('/restapi/v1.0', (req, res) => {
    res.json({
      uri: `${req.protocol}://${req.get('host') ?? 'localhost'}/restapi/v1.0`,
      versionString: '1.0.0',
      uriString: 'v1.0',
    });
  });
  app.get('/restapi/oauth/authorize', faults.middleware('authorize'), authGroup, authorize);
  app.post('/emulator/consent', decide);
  app.use(createFaultsRouter(faults));
  // The forum classic: POSTing credentials to /authorize. RingCentral treats the POST as an API call and
  // answers that the "access token" (the Basic header) is unparseable. The browser must be *sent* here.
  app.post('/restapi/oauth/authorize', (_req, res) => {
    const error = apiErrors.unparsable();
    res.status(error.status).json(error.toBody());
  });
  app.post('/restapi/oauth/token', faults.middleware('token'), authGroup, (req, res) => {
    const form = readForm(req);
    const client = authenticateClient(req, form, store);
    noStoreJson(res).json(grantTokens(client, form, store));
  });
  app.post('/restapi/oauth/revoke', faults.middleware('revoke'), authGroup, (req, res) => {
    const form = readForm(req, { allowQuery: true }); // the spec accepts ?token=, though it is discouraged
    authenticateClient(req, form, store);
    const token = form.get('token') ?? (typeof req.query['token'] === 'string' ? req.query['token'] : '');
    if (token === '')
      throw new OAuthError(400, 'invalid_request', 'CMN-101', 'Parameter [token] value is invalid.');
    store.revoke(token);
    res.status(200).end();
  });
  app.get(
    '/restapi/v1.0/account/~/extension/~',
    ...apiEndpoint('extension', 'Light', 'ReadAccounts', (req, user) => {
      const base = `${req.protocol}://${req.get('host') ?? 'localhost'}/restapi/v1.0/account/${user.accountId}`;
      return {
        uri: `${base}/extension/${user.extensionId}`,
        id: Number(user.extensionId),
        extensionNumber: user.extensionNumber,
        contact: {
          firstName: user.firstName,
          lastName: user.lastName,
          email: user.email,
          company: 'Emulated RingCentral Inc.',
        },
        name: `${user.firstName} ${user.lastName}`,
        type: 'User',
        status: 'Enabled',
        account: { uri: base, id: user.accountId },
      };
    }),
  );
  // The signed-in user's calls (ringcentral-oauth.md §12), paged as RingCentral pages them.
  app.get(
    '/restapi/v1.0/account/~/extension/~/call-log',
    ...apiEndpoint('call-log', 'Heavy', 'ReadCallLog', (req, user) => callLogPage(req, user, store.now())),
  );
  app.use(
    (_req, res) =>
      void res.status(404).json({
        errorCode: 'CMN-102',
        message: 'Resource not found',
        errors: [{ errorCode: 'CMN-102', message: 'Resource not found' }],
      }),
  );
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof OAuthError || err instanceof ApiError)
      return void noStoreJson(res).status(err.status).json(err.toBody());
    const status =
      typeof (err as { status?: unknown }).status === 'number' ? (err as { status: number }).status : 500;
    res.status(status).json({
      errorCode: 'CMN-100',
      message: 'Request could not be processed',
      errors: [{ errorCode: 'CMN-100', message: 'Request could not be processed' }],
    });
  });

  return { app, store, faults, requests };
}

/** The token of a Bearer header (any case of "Bearer", as the SDK sends "bearer"); undefined if none. */
function bearerOf(header: string | undefined): string | undefined {
  return header === undefined ? undefined : /^bearer\s+(\S+)$/i.exec(header.trim())?.[1];
}

/** Who calls, from the Bearer header or ?access_token=, with the app's permissions. */
function authenticateBearer(req: Request, store: EmulatorStore) {
  const header = req.get('authorization');
  const fromQuery = typeof req.query['access_token'] === 'string' ? req.query['access_token'] : undefined;
  if (header === undefined && fromQuery === undefined) throw apiErrors.noAuthorization();
  const token = header === undefined ? fromQuery : bearerOf(header);
  if (token === undefined) throw apiErrors.unparsable();
  const result = store.useAccessToken(token);
  if (result.status === 'ok') return result;
  if (result.status === 'expired') throw apiErrors.expired();
  if (result.status === 'not-found') throw apiErrors.notFound();
  throw apiErrors.unparsable();
}

/** Token answers are never cached (RingCentral sends both headers, RFC 6749 §5.1). */
function noStoreJson(res: Response): Response {
  return res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
}

export type Emulator = ReturnType<typeof createEmulatorApp>;
