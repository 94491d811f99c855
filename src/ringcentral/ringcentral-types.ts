// Wire shapes exactly as RingCentral sends them (snake_case), checked at the boundary with zod so that a
// malformed answer becomes an error value instead of `undefined` deep inside the app.
import { z } from 'zod';

/** 200 answer of POST /restapi/oauth/token, for both grants (RFC 6749 §5.1; RingCentral adds owner_id...). */
export const TokenResponseSchema = z.object({
  access_token: z.string().min(1),
  // RingCentral sends "bearer"; RFC 6749 §7.1 says the type is case-insensitive.
  token_type: z.string().refine((type) => type.toLowerCase() === 'bearer', 'token_type must be bearer'),
  expires_in: z.number().positive(),
  refresh_token: z.string().min(1).optional(),
  refresh_token_expires_in: z.number().positive().optional(),
  scope: z.string().optional(),
  // A string per RingCentral's docs; tolerate a number rather than fail a sign-in over it.
  owner_id: z.union([z.string(), z.number()]).transform(String).optional(),
  endpoint_id: z.string().optional(),
});
export type TokenResponse = z.infer<typeof TokenResponseSchema>;

/** The parts of GET /restapi/v1.0/account/~/extension/~ the app shows. */
export const ExtensionInfoSchema = z.object({
  id: z.union([z.number(), z.string()]).transform(String),
  extensionNumber: z.string().optional(),
  name: z.string().optional(),
  type: z.string().optional(),
  status: z.string().optional(),
  contact: z
    .object({
      firstName: z.string().optional(),
      lastName: z.string().optional(),
      email: z.string().optional(),
      company: z.string().optional(),
    })
    .optional(),
  account: z.object({ id: z.union([z.string(), z.number()]).transform(String) }).optional(),
});
export type ExtensionInfo = z.infer<typeof ExtensionInfoSchema>;

/**
 * Error body. OAuth endpoints send `{error, error_description, errors:[{errorCode, message}]}`;
 * REST API calls send `{errorCode, message, errors:[...]}` (ringcentral-oauth.md §5a). Both are read here.
 */
export const ErrorBodySchema = z.object({
  error: z.string().optional(),
  error_description: z.string().optional(),
  errorCode: z.string().optional(),
  message: z.string().optional(),
  /** On a 403 for a missing permission: its name, e.g. "ReadCallLog" (§12). */
  permissionName: z.string().optional(),
  errors: z
    .array(
      z.object({
        errorCode: z.string().optional(),
        message: z.string().optional(),
        permissionName: z.string().optional(),
      }),
    )
    .optional(),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** One party of a call: a phone number, and a name or extension number when RingCentral knows them. */
const CallPartySchema = z.object({
  phoneNumber: z.string().optional(),
  extensionNumber: z.string().optional(),
  name: z.string().optional(),
});

/**
 * GET /restapi/v1.0/account/~/extension/~/call-log (ringcentral-oauth.md §12): the fields the app shows.
 * Anything else RingCentral sends is dropped here, so a page or JSON answer only ever holds these.
 */
export const CallLogResponseSchema = z.object({
  records: z.array(
    z.object({
      id: z.string(),
      startTime: z.string(),
      duration: z.number(),
      type: z.string(),
      direction: z.string(),
      action: z.string().optional(),
      result: z.string().optional(),
      from: CallPartySchema.optional(),
      to: CallPartySchema.optional(),
    }),
  ),
  paging: z.object({
    page: z.number().int().positive(),
    perPage: z.number().int().positive(),
    totalPages: z.number().int().nonnegative().optional(),
    totalElements: z.number().int().nonnegative().optional(),
  }),
});
export type CallLogResponse = z.infer<typeof CallLogResponseSchema>;
