// Strict reading of query parameters. Express 5's query parser turns `?state=a&state=b` into an array;
// OAuth parameters must appear once (RFC 6749 §3.1), so anything but one string is rejected here.
import type { Request } from 'express';
import { AppError } from '../errors/app-error.js';

export interface ParamRule {
  readonly maxLength: number;
  /** Allowed characters; the default is RFC 6749's VSCHAR (printable ASCII), which excludes CR/LF. */
  readonly pattern?: RegExp;
}

const VSCHAR = /^[\x20-\x7e]*$/;

/** The parameter as one string, undefined when absent; throws REQUEST_INVALID for anything else. */
export function readParam(req: Request, name: string, rule: ParamRule): string | undefined {
  const value: unknown = (req.query as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(`The "${name}" parameter must appear exactly once.`);
  if (value.length === 0) throw invalid(`The "${name}" parameter is empty.`);
  if (value.length > rule.maxLength) throw invalid(`The "${name}" parameter is too long.`);
  if (!(rule.pattern ?? VSCHAR).test(value))
    throw invalid(`The "${name}" parameter has characters that are not allowed.`);
  return value;
}

function invalid(message: string): AppError {
  return new AppError('REQUEST_INVALID', message);
}
