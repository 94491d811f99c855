// The sign-in routes answer page navigations only. Browsers say what a request is for in Sec-Fetch-Dest:
// "document" for a link, a redirect or a popup; "image", "script", "iframe", "empty" (fetch) otherwise. Any
// web page can make its visitors' browsers request /login with an image tag, which would spend their sign-in
// rate limit (and start sign-ins no one asked for). Those are refused here, before the rate limit counts
// them and before any cookie is set. The decision is on Sec-Fetch-Dest alone: curl and older browsers send
// no such header, and server-side clients such as Node's fetch send Sec-Fetch-Mode without a destination.
import type { RequestHandler } from 'express';
import { AppError } from '../errors/app-error.js';

export const pageNavigationOnly: RequestHandler = function pageNavigationOnly(req, _res, next) {
  const destination = req.get('sec-fetch-dest');
  if (destination === undefined || destination === 'document') return next();
  const reason = `The browser asked for this sign-in address as "${destination.slice(0, 20)}", not as a page.`;
  next(new AppError('LOGIN_NOT_A_NAVIGATION', reason));
};
