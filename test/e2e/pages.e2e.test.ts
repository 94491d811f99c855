// The person in front of the page, in Chromium: every page state checked with axe-core (WCAG 2.2 A/AA),
// focus indicators measured, where error pages lead, the refresh's feedback, logout, the host name, and the
// 390 px layout. A screenshot of each state goes to test-output/e2e.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startStack, type Stack, type StackOptions } from '../helpers/stack';
import { launchBrowser, SCREENSHOTS, unexpected, watchedContext, type WatchedContext } from './browser';

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const PHONE = { width: 390, height: 844 };

let browser: Browser;
let stack: Stack;
let watched: WatchedContext;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
async function open(options: StackOptions = {}, viewport = { width: 1000, height: 900 }) {
  stack = await startStack(options);
  watched = await watchedContext(browser);
  page = await watched.newPage();
  await page.setViewportSize(viewport);
}
afterEach(async () => {
  await watched?.context.close();
  await stack?.close();
});

async function signIn(userId = '101000001') {
  await page.goto(`${stack.appUrl}/login`);
  await page.waitForURL(/\/restapi\/oauth\/authorize/);
  await page.check(`input[value="${userId}"]`);
  await page.click('button[value="approve"]');
  await page.waitForURL(`${stack.appUrl}/`);
}

/** axe-core's WCAG 2.0–2.2 A and AA rules on the page as it is now; the violations, one line each. */
async function axeViolations(on: Page = page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP (script-src 'self') does not govern.
  await on.evaluate(AXE_SOURCE);
  const results = await on.evaluate(() =>
    (
      window as unknown as {
        axe: {
          run(options: unknown): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }>;
        };
      }
    ).axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }),
  );
  return results.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
}

/** No sideways scrolling of the page itself (a wide table may scroll inside its own box). */
async function scrollsSideways(): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

async function shoot(name: string) {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** WCAG contrast ratio of two CSS colours "rgb(r, g, b)". */
function contrast(a: string, b: string): number {
  const luminance = (color: string) => {
    const [r, g, bl] = (color.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((c) => {
      const v = Number(c) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (bl ?? 0);
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}

describe('every page state, on desktop and at 390 px', () => {
  it.each([
    ['desktop', { width: 1000, height: 900 }],
    ['phone', PHONE],
  ])('has no WCAG A/AA violation and no sideways scroll (%s)', async (name, viewport) => {
    await open({ demo: true }, viewport);
    const states: [string, () => Promise<unknown>][] = [
      ['landing', () => page.goto(`${stack.appUrl}/`)],
      // The emulator's consent page stands in for RingCentral's, but demo users see it too.
      [
        'consent',
        async () => {
          await page.goto(`${stack.appUrl}/login`);
          await page.waitForURL(/\/restapi\/oauth\/authorize/);
        },
      ],
      // Charles's role may not read call logs: his call log is RingCentral's permission error.
      ['dashboard', () => signIn('101000003')],
      ['extension', () => page.goto(`${stack.appUrl}/api/extension`)],
      ['error-permission', () => page.goto(`${stack.appUrl}/api/call-log`)],
      ['error-not-found', () => page.goto(`${stack.appUrl}/no/such/page`)],
      [
        'signed-out',
        async () => {
          await page.goto(`${stack.appUrl}/`);
          await page.getByRole('button', { name: 'Log out' }).click();
          await page.waitForURL(`${stack.appUrl}/signed-out`);
        },
      ],
      [
        'error-denied',
        async () => {
          await page.goto(`${stack.appUrl}/login`);
          await page.click('button[value="deny"]');
          await page.waitForSelector('text=Access not allowed');
        },
      ],
    ];

    const found: Record<string, string[]> = {};
    for (const [state, reach] of states) {
      await reach();
      await shoot(`${state}-${name}`);
      const violations = await axeViolations();
      if (await scrollsSideways()) violations.push('scrolls sideways');
      if (violations.length > 0) found[state] = violations;
    }

    expect(found).toEqual({});
  });

  it('has no WCAG A/AA violation on the call log, a 429 and a refresh failure, nor sideways scroll at 390 px', async () => {
    await open({ emulator: { rateLimits: { heavy: 1 } } }, PHONE);
    await signIn();
    const found: Record<string, string[]> = {};
    const check = async (state: string) => {
      await shoot(state);
      const violations = await axeViolations();
      if (await scrollsSideways()) violations.push('scrolls sideways');
      if (violations.length > 0) found[state] = violations;
    };

    await page.goto(`${stack.appUrl}/api/call-log`);
    await check('call-log-phone');
    await page.goto(`${stack.appUrl}/api/call-log`);
    await check('error-rate-limited-phone');
    await page.goto(`${stack.appUrl}/`);
    stack.emulator.faults.failNext('token', { kind: 'status', status: 503 }, 2);
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await page.getByRole('alert').filter({ hasText: 'RingCentral' }).waitFor();
    await check('refresh-failed-phone');

    expect(found).toEqual({});
  });
});

describe('focus indicators', () => {
  it('contrast at least 3:1 with what surrounds them, on links and buttons', async () => {
    await open();
    await page.goto(`${stack.appUrl}/`);
    const ratios: Record<string, number> = {};
    const measure = async (label: string) => {
      const colors = await page.evaluate(() => {
        const focused = document.activeElement as HTMLElement;
        const style = getComputedStyle(focused);
        // What the outline is drawn on: the first ancestor with a background of its own.
        let around: HTMLElement | null = focused.parentElement;
        while (around && getComputedStyle(around).backgroundColor === 'rgba(0, 0, 0, 0)')
          around = around.parentElement;
        return {
          outline: style.outlineStyle === 'none' ? 'none' : style.outlineColor,
          width: parseFloat(style.outlineWidth),
          background: around ? getComputedStyle(around).backgroundColor : 'rgb(255, 255, 255)',
        };
      });
      expect(colors.outline).not.toBe('none');
      expect(colors.width).toBeGreaterThanOrEqual(2);
      ratios[label] = Math.round(contrast(colors.outline, colors.background) * 100) / 100;
    };

    await page.keyboard.press('Tab'); // the brand link
    await measure('brand link');
    await page.keyboard.press('Tab'); // Sign in with RingCentral (primary button style)
    await measure('primary button');
    await signIn();
    await page.getByRole('button', { name: 'Refresh now' }).focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    await measure('button');

    for (const [label, ratio] of Object.entries(ratios)) expect([label, ratio >= 3]).toEqual([label, true]);
  });
});

describe('error pages lead somewhere', () => {
  const actions = () =>
    page
      .locator('.error .actions a')
      .evaluateAll((links: HTMLElement[]) =>
        links.map((link) => `${link.classList.contains('primary') ? '*' : ''}${link.textContent ?? ''}`),
      );

  it('go home from a 404, back to the session when signed in, and sign in again after a sign-in error', async () => {
    await open();
    await page.goto(`${stack.appUrl}/no/such/page`);
    const notFound = await actions();
    await page.goto(`${stack.appUrl}/login`);
    await page.click('button[value="deny"]');
    await page.waitForSelector('text=Access not allowed');
    const denied = await actions();
    await signIn();
    await page.goto(`${stack.appUrl}/no/such/page`);
    const signedIn = await actions();

    expect(notFound).toEqual(['*Home']);
    expect(denied).toEqual(['*Sign in again', 'Home']);
    expect(signedIn).toEqual(['*Back to your session']);
  });

  it('say when to retry after a 429, with no button into another 429', async () => {
    await open({ emulator: { rateLimits: { heavy: 1 } } });
    await signIn();
    await page.goto(`${stack.appUrl}/api/call-log`);
    await page.goto(`${stack.appUrl}/api/call-log`);

    expect(await page.textContent('h1')).toBe('Too many requests');
    expect(await page.textContent('.error')).toMatch(
      /Please wait 60 seconds: try again after \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/,
    );
    expect(await actions()).toEqual(['*Back to your session']);
    expect(unexpected(watched.problems, 429)).toEqual([]);
  });

  it('show no Markdown backticks', async () => {
    await open();
    // An app misconfiguration RingCentral names with a bare OAuth error: the catalog's fix says "Run `npm run doctor`".
    stack.emulator.faults.failNext('token', {
      kind: 'status',
      status: 400,
      body: { error: 'invalid_scope', error_description: 'scope not allowed' },
    });
    await page.goto(`${stack.appUrl}/login`);
    await page.click('button[value="approve"]');
    await page.waitForSelector('#error-title');

    expect(await page.textContent('main')).toContain('Run npm run doctor: it names the failing setting.');
    expect(await page.textContent('main')).not.toContain('`');
  });
});

describe('Refresh now', () => {
  it('shows its result under the button, in view on a phone, and keeps the keyboard on the button', async () => {
    await open({}, PHONE);
    await signIn();
    const button = page.getByRole('button', { name: 'Refresh now' });
    const fingerprint = await page.textContent('[data-field="accessTokenFingerprint"]');
    await button.focus();

    await page.keyboard.press('Enter');
    const ok = page.getByRole('status').filter({ hasText: 'The access token was refreshed' });
    await ok.waitFor();
    await shoot('refresh-ok-phone');

    expect(await ok.isVisible()).toBe(true);
    expect(await ok.evaluate((el) => el.getBoundingClientRect().bottom <= window.innerHeight)).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Refresh now');
    expect(await page.textContent('[data-field="accessTokenFingerprint"]')).not.toBe(fingerprint);

    stack.emulator.faults.failNext('token', { kind: 'status', status: 503 }, 2);
    await page.keyboard.press('Enter');
    const failed = page.getByRole('alert').filter({ hasText: 'RingCentral' });
    await failed.waitFor();

    expect(await ok.isVisible()).toBe(false);
    expect(await failed.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(164, 22, 26)');
    expect(await failed.evaluate((el) => el.getBoundingClientRect().bottom <= window.innerHeight)).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Refresh now');
  });
});

describe('around the flow', () => {
  it('confirms Log out on a page of its own, with a way to sign in again', async () => {
    await open();
    await signIn();

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(`${stack.appUrl}/signed-out`);
    await shoot('signed-out');

    expect(await page.textContent('h1')).toBe('You are signed out');
    await page.getByRole('link', { name: 'Sign in again' }).click();
    await page.waitForURL(/\/restapi\/oauth\/authorize/);
    expect(unexpected(watched.problems)).toEqual([]);
  });

  it('names demo mode on the app pages', async () => {
    await open({ demo: true });
    await page.goto(`${stack.appUrl}/`);
    await shoot('landing-demo');

    expect(await page.getByRole('note').textContent()).toContain('Demo mode.');
  });

  it("moves a visit on another host name to BASE_URL's before signing in, and signs in", async () => {
    await open(); // BASE_URL is http://127.0.0.1:<port>; the browser types localhost
    const port = new URL(stack.appUrl).port;

    await page.goto(`http://localhost:${port}/`);
    await page.getByRole('link', { name: 'Sign in with RingCentral' }).click();
    await page.waitForURL(/\/restapi\/oauth\/authorize/);
    await page.click('button[value="approve"]');
    await page.waitForURL(`${stack.appUrl}/`);

    expect(await page.textContent('h1')).toBe('Signed in as Ada Lovelace');
  });
});
