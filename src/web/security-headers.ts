// The security headers on every response (helmet), with the few choices this app makes differently.
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** `https`: BASE_URL is https, so HSTS and upgrade-insecure-requests apply. */
export function securityHeaders(https: boolean): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        // Scripts and styles only from our own files: no inline code, so injected markup cannot run.
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'form-action': ["'self'"],
        // Only meaningful (and only harmless) when the app is served over https.
        'upgrade-insecure-requests': https ? [] : null,
      },
    },
    strictTransportSecurity: https,
    // unsafe-none: the sign-in popup comes back from RingCentral's origin to our pages, and Chrome severs
    // window.opener on that return when our pages send any other policy (even same-origin-allow-popups),
    // which would leave only the BroadcastChannel fallback. The pages hold no secret; CSP still applies.
    crossOriginOpenerPolicy: { policy: 'unsafe-none' },
    // no-referrer: the callback URL (with its code) must never leak to another site through Referer.
    referrerPolicy: { policy: 'no-referrer' },
  });
}
