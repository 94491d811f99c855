// Fault injection for the emulated endpoints, for the next N requests: a delay, a hang, a status with a
// body, a 429 with Retry-After, a dropped connection, or (API endpoints) the access token the request carries
// dropped, as RingCentral drops a token it no longer knows. Set from tests (faults.failNext) or over HTTP
// (POST /emulator/faults), e.g. while trying the demo.
import express, { Router, type RequestHandler, type Response } from 'express';

export const ENDPOINTS = ['authorize', 'token', 'revoke', 'extension', 'call-log'] as const;
export type EmulatorEndpoint = (typeof ENDPOINTS)[number];

export type Fault =
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly body?: unknown;
      readonly headers?: Record<string, string>;
    }
  | { readonly kind: 'rate-limit'; readonly retryAfterSeconds: number }
  | { readonly kind: 'drop' }
  | { readonly kind: 'hang' }
  | { readonly kind: 'delay'; readonly ms: number }
  /** The request's access token becomes unknown (401 OAU-213, now and later); its refresh token still works. */
  | { readonly kind: 'revoke-access-token' };

/** What a fault needs from the emulator's state. */
export interface FaultHooks {
  /** Forgets the access token in this Authorization header, if it is one the emulator issued. */
  dropAccessToken(authorization: string | undefined): void;
}

const RATE_LIMITED = { errorCode: 'CMN-301', message: 'Request rate exceeded' };

/** An answer held back by the emulator: the work is done (tokens rotated, say) but not yet sent. */
export interface HeldAnswer {
  /** Resolves once the emulator has done the work and would have answered. */
  readonly answered: Promise<void>;
  /** Sends the answer. */
  release(): void;
}

interface Gate {
  markAnswered(): void;
  readonly released: Promise<void>;
}

export function createFaults(hooks: FaultHooks) {
  const queued = new Map<EmulatorEndpoint, Fault[]>();
  const held = new Map<EmulatorEndpoint, Gate[]>();

  /** Lets the request be handled, and keeps its answer until the test releases it. */
  function holdAnswer(res: Response, gate: Gate) {
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.end = ((...args: unknown[]) => {
      gate.markAnswered();
      void gate.released.then(() => end(...args));
      return res;
    }) as Response['end'];
  }

  const faults = {
    /** Applies `fault` to the next `times` requests to `endpoint`. */
    failNext(endpoint: EmulatorEndpoint, fault: Fault, times = 1) {
      queued.set(endpoint, [...(queued.get(endpoint) ?? []), ...Array.from({ length: times }, () => fault)]);
    },
    /** For tests of races: the next request to `endpoint` is handled at once, but answered on release(). */
    holdNextAnswer(endpoint: EmulatorEndpoint): HeldAnswer {
      let markAnswered = () => {};
      let release = () => {};
      const answered = new Promise<void>((resolve) => (markAnswered = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      held.set(endpoint, [...(held.get(endpoint) ?? []), { markAnswered, released }]);
      return { answered, release };
    },
    clear() {
      queued.clear();
      held.clear();
    },
    pending: () => Object.fromEntries([...queued].map(([endpoint, list]) => [endpoint, list])),
    middleware(endpoint: EmulatorEndpoint): RequestHandler {
      return function injectFault(req, res, next) {
        const gate = held.get(endpoint)?.shift();
        if (gate !== undefined) {
          holdAnswer(res, gate);
          return next();
        }
        const fault = queued.get(endpoint)?.shift();
        if (fault === undefined) return next();
        switch (fault.kind) {
          case 'drop':
            return void req.socket.destroy();
          case 'hang':
            return; // never answers; the caller's deadline must end it
          case 'delay':
            return void setTimeout(next, fault.ms).unref();
          case 'revoke-access-token':
            hooks.dropAccessToken(req.get('authorization'));
            return next(); // the endpoint itself then answers as RingCentral does for an unknown token
          case 'rate-limit':
            return void res
              .status(429)
              .set('Retry-After', String(fault.retryAfterSeconds))
              .json({ ...RATE_LIMITED, errors: [RATE_LIMITED] });
          case 'status':
            res.status(fault.status).set(fault.headers ?? {});
            if (fault.body === undefined) res.end();
            else if (typeof fault.body === 'string') res.send(fault.body);
            else res.json(fault.body);
        }
      };
    },
  };
  return faults;
}

export type Faults = ReturnType<typeof createFaults>;

/**
 * POST /emulator/faults {"endpoint":"token","fault":{"kind":"status","status":503},"times":2}
 * GET /emulator/faults lists what is queued; DELETE /emulator/faults clears it.
 */
export function createFaultsRouter(faults: Faults): Router {
  const router = Router();
  router.get('/emulator/faults', (_req, res) => void res.json(faults.pending()));
  router.delete('/emulator/faults', (_req, res) => void (faults.clear(), res.status(204).end()));
  router.post('/emulator/faults', express.json({ limit: '4kb' }), (req, res) => {
    const parsed = parseFaultRequest(req.body);
    if (typeof parsed === 'string') return void res.status(400).json({ error: parsed });
    faults.failNext(parsed.endpoint, parsed.fault, parsed.times);
    res.status(201).json(faults.pending());
  });
  return router;
}

function parseFaultRequest(
  body: unknown,
): string | { endpoint: EmulatorEndpoint; fault: Fault; times: number } {
  const {
    endpoint,
    fault,
    times = 1,
  } = (body ?? {}) as { endpoint?: unknown; fault?: Record<string, unknown>; times?: unknown };
  if (!ENDPOINTS.includes(endpoint as EmulatorEndpoint))
    return `endpoint must be one of ${ENDPOINTS.join(', ')}`;
  if (typeof times !== 'number' || !Number.isInteger(times) || times < 1 || times > 100)
    return 'times must be 1..100';
  const number = (key: string, min: number, max: number) => {
    const value = fault?.[key];
    return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
      ? value
      : undefined;
  };
  const kind = fault?.['kind'];
  let parsed: Fault | undefined;
  if (kind === 'drop' || kind === 'hang' || kind === 'revoke-access-token') parsed = { kind };
  if (kind === 'delay' && number('ms', 0, 120_000) !== undefined)
    parsed = { kind, ms: number('ms', 0, 120_000) ?? 0 };
  if (kind === 'rate-limit' && number('retryAfterSeconds', 0, 3600) !== undefined) {
    parsed = { kind, retryAfterSeconds: number('retryAfterSeconds', 0, 3600) ?? 60 };
  }
  if (kind === 'status' && number('status', 200, 599) !== undefined) {
    parsed = {
      kind,
      status: number('status', 200, 599) ?? 500,
      ...(fault?.['body'] === undefined ? {} : { body: fault['body'] }),
    };
  }
  return parsed === undefined
    ? 'fault must be {kind:"drop"|"hang"|"revoke-access-token"}, {kind:"delay",ms}, {kind:"rate-limit",retryAfterSeconds} or {kind:"status",status,body?}'
    : { endpoint: endpoint as EmulatorEndpoint, fault: parsed, times };
}
