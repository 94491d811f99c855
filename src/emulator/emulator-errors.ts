// The error answers of the emulated RingCentral, in RingCentral's two wire shapes (ringcentral-oauth.md §5a).
// One class, named constructors for each documented code, so every check in the emulator reads as a sentence.

/** OAuth endpoints: `{ error, errors: [{ errorCode, message }], error_description }`. */
export class OAuthError extends Error {
  readonly status: number;
  readonly error: string;
  readonly errorCode: string;

  constructor(status: number, error: string, errorCode: string, message: string) {
    super(message);
    this.status = status;
    this.error = error;
    this.errorCode = errorCode;
  }

  toBody() {
    return {
      error: this.error,
      errors: [{ errorCode: this.errorCode, message: this.message }],
      error_description: this.message,
    };
  }
}

/** REST API calls: `{ errorCode, message, errors: [{ errorCode, message }] }`. */
export class ApiError extends Error {
  readonly status: number;
  readonly topCode: string;
  readonly errorCode: string;
  /** Permission errors name the missing permission, in the entry and at the top level (§12). */
  readonly permissionName: string | undefined;

  constructor(status: number, topCode: string, errorCode: string, message: string, permissionName?: string) {
    super(message);
    this.status = status;
    this.topCode = topCode;
    this.errorCode = errorCode;
    this.permissionName = permissionName;
  }

  toBody() {
    const named = this.permissionName === undefined ? {} : { permissionName: this.permissionName };
    return {
      errorCode: this.topCode,
      message: this.message,
      errors: [{ errorCode: this.errorCode, message: this.message, ...named }],
      ...named,
    };
  }
}

// Status choices: RingCentral's docs table lists 403 for OAU-106/108/109, but the token errors actually
// observed came back 400 and RFC 6749 §5.2 says 400, so 400 it is (ringcentral-oauth.md §11 item 3).
export const oauthErrors = {
  unsupportedMediaType: () =>
    new OAuthError(
      415,
      'invalid_request',
      'CMN-415',
      'Unsupported Media Type: use application/x-www-form-urlencoded',
    ),
  // Whether RingCentral answers CMN-105 here is unconfirmed (§11 item 12); RFC 6749 §3.2 wants the body.
  queryString: () =>
    new OAuthError(
      400,
      'invalid_request',
      'CMN-105',
      'URL should not contain query string when method is [POST] and content type is [application/x-www-form-urlencoded]',
    ),
  duplicateParameter: () =>
    new OAuthError(400, 'invalid_request', 'OAU-111', 'Request parameter duplication detected'),
  missingParameter: (name: string) =>
    new OAuthError(400, 'invalid_request', 'CMN-101', `Parameter [${name}] value is invalid.`),
  // RFC 6749 §5.2: 401 for invalid_client when the client used the Authorization header.
  clientAuthRequired: () =>
    new OAuthError(401, 'invalid_client', 'OAU-123', 'Client authentication is required'),
  malformedAuthHeader: () =>
    new OAuthError(401, 'invalid_client', 'OAU-123', 'Authentication header value is malformed'),
  unknownClient: (clientId: string) =>
    new OAuthError(401, 'invalid_client', 'OAU-153', `Invalid client: ${clientId}`),
  badClientSecret: () => new OAuthError(401, 'invalid_client', 'OAU-146', 'Invalid client credentials'),
  noRedirectUri: () =>
    new OAuthError(403, 'invalid_client', 'OAU-113', 'No redirect uri is registered for the client'),
  unsupportedGrantType: () => new OAuthError(400, 'invalid_request', 'OAU-250', 'Unsupported grant type'),
  grantNotAllowed: () =>
    new OAuthError(400, 'unauthorized_client', 'OAU-251', 'Unauthorized for this grant type'),
  invalidCode: () => new OAuthError(400, 'invalid_grant', 'OAU-106', 'Invalid authorization code'),
  codeExpired: () => new OAuthError(400, 'invalid_grant', 'OAU-108', 'Authorization code is expired'),
  redirectUriMismatch: () => new OAuthError(400, 'invalid_grant', 'OAU-109', 'Redirect URIs do not match'),
  codeOfOtherClient: () =>
    new OAuthError(400, 'invalid_grant', 'OAU-110', 'Authorization code was not issued for this application'),
  // RingCentral's code for a PKCE mismatch is undocumented; RFC 7636 §4.6 says invalid_grant.
  pkceMismatch: () =>
    new OAuthError(
      400,
      'invalid_grant',
      'OAU-106',
      'Invalid authorization code: code_verifier does not match code_challenge',
    ),
  tokenNotFound: () => new OAuthError(400, 'invalid_grant', 'OAU-213', 'Token not found'),
  tokenExpired: () => new OAuthError(400, 'invalid_grant', 'OAU-210', 'Token expired'),
};

export const apiErrors = {
  // The 2016 answer was OAU-123 with this message; a 2026 probe saw AGW-401 (§5b). Newer one used.
  noAuthorization: () => new ApiError(401, 'AGW-401', 'AGW-401', 'Authorization header is not specified'),
  unparsable: () => new ApiError(401, 'TokenInvalid', 'OAU-149', 'Unparseable access token'),
  notFound: () => new ApiError(401, 'TokenInvalid', 'OAU-213', 'Token not found'),
  expired: () => new ApiError(401, 'TokenExpired', 'OAU-128', 'Access token expired'),
  // §12: a permission the app lacks. The code is UNCONFIRMED (forum posts report CMN-401); the bracketed name
  // and `permissionName` are what clients are told to rely on, and both are here.
  appPermission: (name: string) =>
    new ApiError(
      403,
      'CMN-401',
      'CMN-401',
      `In order to call this API endpoint, application needs to have [${name}] permission.`,
      name,
    ),
  // §12: a permission the user's role lacks, as documented (CMN-408).
  userPermission: (name: string) =>
    new ApiError(
      403,
      'CMN-408',
      'CMN-408',
      `In order to call this API endpoint, user needs to have [${name}] permission for requested resource.`,
      name,
    ),
};
