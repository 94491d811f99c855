// How the app renders its EJS views: one function for app.engine('ejs', …), shared with the benchmark's
// dashboard-floor, which must render the pages exactly as the app does.
import path from 'node:path';
import ejs from 'ejs';

/** The repo's views/, from src/ (tsx, Jest) and dist/ alike. */
export const VIEWS_DIR = path.join(__dirname, '..', '..', 'views');

/**
 * Every name the app's views read at their top level. A name missing here is a ReferenceError on the page
 * that reads it (every page is rendered by the tests).
 */
const VIEW_LOCALS = [
  'basePath',
  'title',
  'serverUrl',
  'user',
  'token',
  'notice',
  'csrfToken',
  'status',
  'code',
  'message',
  'detail',
  'retryAfterSeconds',
  'referenceId',
  'developer',
] as const;

type Done = (error: Error | null, html?: string) => void;

/** `cache`: keep compiled templates (Express's "view cache", on in production). */
export function createViewEngine(cache: () => boolean) {
  return (file: string, data: object, done: Done) =>
    ejs.renderFile(
      file,
      data,
      {
        // Includes are written from the views root ('/partials/header'), so EJS joins paths instead of
        // probing the filesystem for each include on every render.
        root: VIEWS_DIR,
        cache: cache(),
        // `var title = locals.title, …` instead of `with (locals) { … }`, which V8 cannot optimize: the
        // dashboard renders in half the time.
        _with: false,
        destructuredLocals: [...VIEW_LOCALS],
      },
      done,
    );
}
