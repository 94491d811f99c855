// Validates the "come back here after sign-in" path. Only same-origin paths are accepted, so the app can
// never be used as an open redirector (RFC 9700 §4.11.1, OWASP Unvalidated Redirects).

const MAX_LENGTH = 512;

/**
 * Returns the path when it is a safe same-origin path under `basePath` ("" = anywhere) and not one of
 * `flowPaths` (the sign-in flow's own routes: going back to /login after signing in would start another
 * sign-in, and a chain of them replaces the user's other RingCentral sessions). Otherwise undefined.
 */
export function parseReturnTo(
  value: string,
  basePath = '',
  flowPaths: readonly string[] = [],
): string | undefined {
  if (value.length === 0 || value.length > MAX_LENGTH) return undefined;
  // Printable ASCII only: no CR/LF (header injection), no tabs or other controls browsers strip, no
  // non-ASCII look-alikes. Percent-encoded text stays as it is and is checked as written below.
  if (!/^[\x21-\x7e]+$/.test(value)) return undefined;
  // One leading slash, then not a second slash or backslash: "//evil" and "/\evil" are other hosts.
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return undefined;
  // Backslashes and encoded slashes/backslashes are never needed in our paths and are how filters get fooled.
  if (value.includes('\\') || /%(2f|5c)/i.test(value)) return undefined;
  // Encoded control characters (%0d%0a...) are harmless in a Location header but have no place in a path.
  if (/%(0[0-9a-f]|1[0-9a-f]|7f)/i.test(value)) return undefined;
  // Final check by the URL parser itself: resolved against a dummy origin it must stay on that origin.
  const resolved = new URL(value, 'http://app.invalid');
  if (resolved.origin !== 'http://app.invalid') return undefined;
  // An app served under /signin has no business sending people to /elsewhere on the same host.
  const underBase = basePath === '' || value === basePath || /^[/?#]/.test(value.slice(basePath.length));
  if (!value.startsWith(basePath) || !underBase) return undefined;
  return flowPaths.includes(routeOf(resolved.pathname, basePath)) ? undefined : value;
}

/** The path as the router matches it: without basePath, decoded, case-insensitive, no trailing slash. */
function routeOf(pathname: string, basePath: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    decoded = pathname;
  }
  return decoded.slice(basePath.length).toLowerCase().replace(/\/+$/, '');
}
