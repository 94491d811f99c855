// 405 with an Allow header for a known path used with the wrong method (e.g. GET /logout must not log out).
import type { RequestHandler } from 'express';
import { AppError } from '../errors/app-error.js';

export function methodNotAllowed(allow: string): RequestHandler {
  return function rejectMethod(_req, res, next) {
    res.set('Allow', allow);
    next(new AppError('METHOD_NOT_ALLOWED', `This address only accepts ${allow}.`));
  };
}
