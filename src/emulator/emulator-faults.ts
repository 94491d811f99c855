// Fault injection for the emulated endpoints: "the next N requests to /token answer 503", "drop the
// connection", "wait 2 s first". Used by tests and, later, from the demo.
import type { RequestHandler } from 'express';

export type EmulatorEndpoint = 'authorize' | 'token' | 'revoke' | 'extension';

export type Fault =
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly body?: unknown;
      readonly headers?: Record<string, string>;
    }
  | { readonly kind: 'drop' }
  | { readonly kind: 'delay'; readonly ms: number };

export function createFaults() {
  const queued = new Map<EmulatorEndpoint, Fault[]>();

  return {
    /** Applies `fault` to the next `times` requests to `endpoint`. */
    failNext(endpoint: EmulatorEndpoint, fault: Fault, times = 1) {
      queued.set(endpoint, [...(queued.get(endpoint) ?? []), ...Array.from({ length: times }, () => fault)]);
    },
    clear() {
      queued.clear();
    },
    middleware(endpoint: EmulatorEndpoint): RequestHandler {
      return function injectFault(req, res, next) {
        const fault = queued.get(endpoint)?.shift();
        if (fault === undefined) return next();
        if (fault.kind === 'drop') return void req.socket.destroy();
        if (fault.kind === 'delay') return void setTimeout(next, fault.ms).unref();
        res.status(fault.status).set(fault.headers ?? {});
        if (fault.body === undefined) res.end();
        else if (typeof fault.body === 'string') res.send(fault.body);
        else res.json(fault.body);
      };
    },
  };
}

export type Faults = ReturnType<typeof createFaults>;
