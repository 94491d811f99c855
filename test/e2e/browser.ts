// A real Chromium (Debian's /usr/bin/chromium, driven by playwright-core) for the e2e suite, with every
// console error and CSP violation collected so each test can assert there were none.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const SCREENSHOTS = path.join(__dirname, '..', '..', 'test-output', 'e2e');

export function launchBrowser(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    // Root in CI needs --no-sandbox; the rest keeps Chromium off the (closed) network.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface WatchedContext {
  readonly context: BrowserContext;
  /** Console errors, page errors and CSP violations from every page of the context. */
  readonly problems: string[];
  newPage(): Promise<Page>;
}

export async function watchedContext(
  browser: Browser,
  options: { javaScriptEnabled?: boolean } = {},
): Promise<WatchedContext> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 }, ...options });
  const problems: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  };
  context.on('page', watch);
  // CSP violations are reported as securitypolicyviolation events (and console errors); both are caught.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      // Runs inside the page: turns each violation into a console error that the collector above sees.
      // eslint-disable-next-line no-console
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return { context, problems, newPage: () => context.newPage() };
}

/** Chrome reports a page served with an error status as a console error; an expected one is not a problem. */
export function unexpected(problems: string[], expectedStatus?: number): string[] {
  return problems.filter(
    (problem) =>
      expectedStatus === undefined ||
      !problem.includes(`the server responded with a status of ${expectedStatus}`),
  );
}
