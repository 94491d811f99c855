// POST /restapi/oauth/token and /restapi/oauth/revoke of the emulated RingCentral: small named checks in
// order (form, client authentication, grant), each throwing the documented error.
import type { Request } from 'express';
import { oauthErrors } from './emulator-errors.js';
import type { EmulatorClient, EmulatorStore, GrantType, TokenResponse } from './emulator-store.js';

const IMPLEMENTED_GRANTS: readonly string[] = ['authorization_code', 'refresh_token'] satisfies GrantType[];
/** Grants RingCentral knows (so OAU-251 "not allowed for this app") but this emulator does not issue. */
const OTHER_KNOWN_GRANTS = ['password', 'urn:ietf:params:oauth:grant-type:jwt-bearer', 'client_credentials'];

/** The form body as single values; a repeated parameter is an error (OAU-111). */
export function readForm(req: Request, { allowQuery = false } = {}): Map<string, string> {
  if (!req.is('application/x-www-form-urlencoded')) throw oauthErrors.unsupportedMediaType();
  if (!allowQuery && req.originalUrl.includes('?')) throw oauthErrors.queryString();
  const form = new Map<string, string>();
  const body = typeof req.body === 'string' ? req.body : '';
  for (const [key, value] of new URLSearchParams(body)) {
    if (form.has(key)) throw oauthErrors.duplicateParameter();
    form.set(key, value);
  }
  return form;
}

/** RingCentral's client authentication: Basic for confidential apps, client_id in the body for public ones. */
export function authenticateClient(
  req: Request,
  form: Map<string, string>,
  store: EmulatorStore,
): EmulatorClient {
  const header = req.get('authorization');
  if (header === undefined) {
    const clientId = form.get('client_id');
    if (clientId === undefined || clientId === '') throw oauthErrors.clientAuthRequired();
    const client = store.client(clientId);
    if (client === undefined) throw oauthErrors.unknownClient(clientId);
    // A confidential client must prove it holds the secret; a client_secret in the body is not accepted.
    if (client.clientSecret !== undefined) throw oauthErrors.clientAuthRequired();
    return client;
  }
  const { clientId, clientSecret } = parseBasic(header);
  const client = store.client(clientId);
  if (client === undefined) throw oauthErrors.unknownClient(clientId);
  if (client.clientSecret !== undefined && client.clientSecret !== clientSecret)
    throw oauthErrors.badClientSecret();
  return client;
}

/** RFC 6749 §2.3.1: base64 of form-urlencoded id ":" form-urlencoded secret. */
function parseBasic(header: string): { clientId: string; clientSecret: string } {
  const match = /^Basic ([A-Za-z0-9+/]+={0,2})$/i.exec(header.trim());
  if (match === null) throw oauthErrors.malformedAuthHeader();
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw oauthErrors.malformedAuthHeader();
  try {
    const formDecode = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));
    return {
      clientId: formDecode(decoded.slice(0, colon)),
      clientSecret: formDecode(decoded.slice(colon + 1)),
    };
  } catch {
    throw oauthErrors.malformedAuthHeader();
  }
}

export function grantTokens(
  client: EmulatorClient,
  form: Map<string, string>,
  store: EmulatorStore,
): TokenResponse {
  const grantType = form.get('grant_type') ?? '';
  if (!IMPLEMENTED_GRANTS.includes(grantType) && !OTHER_KNOWN_GRANTS.includes(grantType)) {
    throw oauthErrors.unsupportedGrantType();
  }
  if (!client.grants.includes(grantType as GrantType)) throw oauthErrors.grantNotAllowed();
  const ttl = requestedLifetimes(form, store);
  if (grantType === 'authorization_code') {
    // An app without any redirect URI (e.g. JWT-only) cannot use the code flow at all (§5b OAU-113).
    if (client.redirectUris.length === 0) throw oauthErrors.noRedirectUri();
    return store.redeemCode(
      {
        clientId: client.clientId,
        code: required(form, 'code'),
        redirectUri: required(form, 'redirect_uri'),
        codeVerifier: form.get('code_verifier'),
      },
      ttl,
    );
  }
  return store.refresh({ clientId: client.clientId, refreshToken: required(form, 'refresh_token') }, ttl);
}

function required(form: Map<string, string>, name: string): string {
  const value = form.get(name);
  if (value === undefined || value === '') throw oauthErrors.missingParameter(name);
  return value;
}

/** access_token_ttl: 600..default (§3b); refresh_token_ttl: at most the app's default. */
function requestedLifetimes(form: Map<string, string>, store: EmulatorStore) {
  const { accessTokenSeconds, refreshTokenSeconds } = store.lifetimes;
  const asked = (name: string) => (form.has(name) ? Number(form.get(name)) : NaN);
  const access = asked('access_token_ttl');
  const refresh = asked('refresh_token_ttl');
  return {
    access: Number.isFinite(access)
      ? Math.min(accessTokenSeconds, Math.max(600, access))
      : accessTokenSeconds,
    refresh:
      Number.isFinite(refresh) && refresh > 0 ? Math.min(refreshTokenSeconds, refresh) : refreshTokenSeconds,
  };
}
