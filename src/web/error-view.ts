// The error page's view model: the catalog's words for the person, and where the page sends them next.
// The next step depends on the situation, not only on the error: someone still signed in goes back to their
// session, a 429 says when to try again and offers no button into another 429, a wrong address goes home,
// and only an error of the sign-in itself offers signing in again.
import type { AppError, ErrorCode } from '../errors/app-error.js';
import type { CatalogEntry } from '../errors/error-catalog.js';
import { formatTime } from './dashboard-view.js';

export interface PageAction {
  readonly href: string;
  readonly label: string;
}

/** Catalog text cut at its `code spans` (written for the README): each part rendered as text or <code>. */
export type TextParts = readonly { readonly code: boolean; readonly text: string }[];

export interface ErrorView {
  readonly title: string;
  readonly status: number;
  readonly code: ErrorCode;
  readonly message: TextParts;
  readonly detail: string | undefined;
  readonly retry: { readonly seconds: number; readonly at: string } | undefined;
  readonly primary: PageAction;
  readonly secondary: PageAction | undefined;
  readonly referenceId: string;
  readonly developer:
    | {
        readonly key: string;
        readonly symptom: TextParts;
        readonly causes: readonly TextParts[];
        readonly fix: TextParts;
        readonly docs: string;
        readonly provider: AppError['provider'];
      }
    | undefined;
}

/** Errors of a page address or a request, not of the sign-in: signing in again would not help. */
const NOT_ABOUT_SIGNING_IN: ReadonlySet<ErrorCode> = new Set([
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'REQUEST_INVALID',
  'REQUEST_TOO_LARGE',
  'REQUEST_UNSUPPORTED',
]);

export interface ErrorViewInput {
  readonly error: AppError;
  readonly key: string;
  readonly entry: CatalogEntry;
  readonly signedIn: boolean;
  readonly basePath: string;
  readonly referenceId: string;
  readonly showDetails: boolean;
  readonly now: number;
}

export function toErrorView(input: ErrorViewInput): ErrorView {
  const { error, key, entry, signedIn, basePath, now } = input;
  const home: PageAction = { href: `${basePath}/`, label: signedIn ? 'Back to your session' : 'Home' };
  const signIn: PageAction = { href: `${basePath}/login`, label: 'Sign in again' };
  const { primary, secondary } =
    signedIn || error.status === 429 || NOT_ABOUT_SIGNING_IN.has(error.code)
      ? { primary: home, secondary: undefined }
      : { primary: signIn, secondary: home };
  const seconds = error.retryAfterSeconds;
  return {
    title: entry.title,
    status: error.status,
    code: error.code,
    message: textParts(entry.userMessage),
    detail: shownDetail(error, entry),
    retry: seconds === undefined ? undefined : { seconds, at: formatTime(now + seconds * 1000) },
    primary,
    secondary,
    referenceId: input.referenceId,
    developer: input.showDetails
      ? {
          key,
          symptom: textParts(entry.symptom),
          causes: entry.causes.map(textParts),
          fix: textParts(entry.fix),
          docs: entry.docs,
          provider: error.provider,
        }
      : undefined,
  };
}

/** The error's own message, when it may be shown (4xx) and says more than the catalog's sentence. */
export function shownDetail(error: AppError, entry: CatalogEntry): string | undefined {
  return error.expose && error.message !== entry.userMessage ? error.message : undefined;
}

/** "Run `npm run doctor` first" → text "Run ", code "npm run doctor", text " first". */
export function textParts(text: string): TextParts {
  return text
    .split('`')
    .map((part, index) => ({ code: index % 2 === 1, text: part }))
    .filter((part) => part.text !== '');
}
