// The one place errors become responses: status, page or JSON, and one log line carrying the same
// reference id as the page. Never a stack trace, token or secret in the response.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { describeError } from '../errors/error-catalog.js';
import { AppError } from '../errors/app-error.js';
import type { Logger } from '../logger.js';
import { shownDetail, toErrorView } from './error-view.js';

export const notFound: RequestHandler = function notFound(_req, _res, next) {
  next(new AppError('NOT_FOUND', 'There is no page at this address.'));
};

/**
 * An error once the answer is on its way: typically express-session's save at the end of a response when
 * the store failed. The page was sent; the error is one log line (no stack on stderr), and a response cut
 * short is closed rather than left hanging.
 */
function afterResponse(err: unknown, log: Logger, res: Parameters<RequestHandler>[1]) {
  const message = (err instanceof Error ? err.message : String(err)).slice(0, 300);
  log.warn({ status: res.statusCode, message }, 'error after the response was sent');
  if (!res.writableEnded) res.destroy();
}

export interface ErrorHandlerDeps {
  readonly logger: Logger;
  /** Development: show causes, fix, docs link and RingCentral's error code on the page. */
  readonly showDetails: boolean;
  /** Is someone still signed in on this request? Then the page leads back to their session. */
  readonly isSignedIn: (req: Parameters<RequestHandler>[0]) => boolean;
  readonly basePath: string;
  readonly now: () => number;
}

export function createErrorHandler({
  logger,
  showDetails,
  isSignedIn,
  basePath,
  now,
}: ErrorHandlerDeps): ErrorRequestHandler {
  return function handleError(err: unknown, req, res, _next) {
    if (res.headersSent) return afterResponse(err, req.log ?? logger, res);
    const error = toAppError(err);
    const { key, entry } = describeError(error.code, error.provider);
    const referenceId = typeof req.id === 'string' ? req.id : '';
    const log = req.log ?? logger;
    const fields = {
      referenceId,
      code: error.code,
      catalogKey: key,
      status: error.status,
      provider: error.provider,
    };
    if (error.status >= 500) log.error({ ...fields, err }, error.message);
    else log.warn(fields, error.message);

    // The catalog's sentence is for everyone; the error's own message adds specifics when it may be shown.
    const message = entry.userMessage;
    const detail = shownDetail(error, entry);
    res.status(error.status);
    if (error.retryAfterSeconds !== undefined) res.set('Retry-After', String(error.retryAfterSeconds));
    res.format({
      html: () =>
        res.render(
          'error',
          toErrorView({
            error,
            key,
            entry,
            signedIn: isSignedIn(req),
            basePath,
            referenceId,
            showDetails,
            now: now(),
          }),
        ),
      json: () =>
        res.json({
          error: { code: error.code, message, referenceId, ...(detail === undefined ? {} : { detail }) },
        }),
      default: () =>
        res
          .type('text')
          .send(`${error.status} ${entry.title}: ${message}${detail === undefined ? '' : ` ${detail}`}\n`),
    });
  };
}

/** Errors from Express's own body parser carry a 4xx `status`; everything else unknown is a bug. */
function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const status = (err as { status?: unknown } | null)?.status;
  if (typeof status !== 'number' || status < 400 || status >= 500) {
    return new AppError('INTERNAL', 'Unexpected error.', { cause: err });
  }
  if (status === 413) return new AppError('REQUEST_TOO_LARGE', 'The form is too large.', { cause: err });
  if (status === 415) {
    return new AppError('REQUEST_UNSUPPORTED', 'The form is not in a charset or encoding read here.', {
      cause: err,
    });
  }
  return new AppError('REQUEST_INVALID', 'The request could not be read.', { cause: err });
}
