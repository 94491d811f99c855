// Random values for one sign-in: the CSRF `state` and the PKCE pair (RFC 7636). Pure.
import { createHash } from 'node:crypto';
import { randomToken } from '../random-token.js';

/** 256 random bits, base64url: well over the 128 bits RFC 6749 §10.10 asks for `state`. */
export function randomState(): string {
  return randomToken(32);
}

/** 32 random bytes → 43 base64url characters, the RFC 7636 §4.1 recommendation (no '+', '/' or '='). */
export function randomCodeVerifier(): string {
  return randomToken(32);
}

/** code_challenge = BASE64URL(SHA256(ASCII(code_verifier))), RFC 7636 §4.2, method S256. */
export function codeChallengeS256(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier, 'ascii').digest('base64url');
}
