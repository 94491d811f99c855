// GET /healthz (liveness: the process answers) and GET /readyz (readiness: the session store answers and
// the app is not shutting down). Mounted before the session middleware: probes never create sessions.
import { Router } from 'express';

export interface Readiness {
  check(): Promise<{ ready: boolean; reason?: string }>;
}

export function createHealthRouter(readiness: Readiness): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const { ready, reason } = await readiness.check();
    res
      .status(ready ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json(ready ? { status: 'ready' } : { status: 'not ready', reason });
  });
  return router;
}
