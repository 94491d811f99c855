// Outside production, a page asked for on another host name than BASE_URL's (http://127.0.0.1:3000 for
// http://localhost:3000) is sent to BASE_URL's host first. Browsers keep cookies per host name, so a sign-in
// started on one and called back on the other (the redirect URI is BASE_URL's) finds no sign-in cookie.
// Only the same port under another name is moved: a different port means something in front (a proxy, a
// load balancer over replicas) that decides the Host. In production nothing is done: the proxy decides it.
import type { RequestHandler } from 'express';

export function canonicalHost(baseUrl: string): RequestHandler {
  const base = new URL(baseUrl);
  const basePort = base.port || (base.protocol === 'https:' ? '443' : '80');
  return function redirectToBaseUrlHost(req, res, next) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const [hostname, port = basePort] = (req.get('host') ?? '').split(/:(?=\d+$)/);
    if (hostname === base.hostname || port !== basePort) return next();
    // Only the path and query are taken from the request; the scheme and host are BASE_URL's.
    res.redirect(302, `${base.origin}${req.originalUrl}`);
  };
}
