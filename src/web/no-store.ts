// Pages that carry sign-in state must not be kept by the browser or a proxy cache: after logout the Back
// button must not show the dashboard (OWASP session management, "Web Content Caching").
import type { RequestHandler } from 'express';

export const noStore: RequestHandler = function noStore(_req, res, next) {
  res.set('Cache-Control', 'no-store');
  res.set('Pragma', 'no-cache');
  next();
};
