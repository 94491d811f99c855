// How the app renders its EJS views. Each view names the values it reads on its first line,
// `<% const { title, user } = locals; -%>`, like a function's parameters. So EJS needs no
// `with (locals) { … }` around the template, which V8 cannot optimize: the dashboard renders in about
// half the time.
import path from 'node:path';
import ejs from 'ejs';

/** The repo's views/, from src/ (tsx, Jest) and dist/ alike. */
export const VIEWS_DIR = path.join(__dirname, '..', '..', 'views');

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
        _with: false,
      },
      (error, html) => done(error === null ? null : withHint(error), html),
    );
}

/** "x is not defined" in a view almost always means a new value missing from its first line. */
function withHint(error: Error): Error {
  if (!(error instanceof ReferenceError)) return error;
  error.message += `\nEvery view takes its values from \`locals\` on its first line: add the name to that line's \`<% const { … } = locals; -%>\`.`;
  return error;
}
