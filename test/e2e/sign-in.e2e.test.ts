// The sign-in as a person does it, in a real Chromium against the app and the emulator on loopback ports.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startStack, type Stack } from '../helpers/stack';
import { launchBrowser, SCREENSHOTS, unexpected, watchedContext, type WatchedContext } from './browser';

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
beforeEach(async () => {
  stack = await startStack();
  watched = await watchedContext(browser);
  page = await watched.newPage();
});
afterEach(async () => {
  await watched.context.close();
  await stack.close();
});

const refreshCalls = () =>
  stack.emulator.requests.filter((r) => r.body.includes('grant_type=refresh_token')).length;

/** On the emulator's consent page: pick a user, then Approve or Deny. */
async function consent(on: Page, decision: 'approve' | 'deny', userId = '101000001') {
  await on.waitForURL(/\/restapi\/oauth\/authorize/);
  await on.check(`input[value="${userId}"]`);
  await on.click(`button[value="${decision}"]`);
}

describe('in a real browser', () => {
  it('signs in with a full-page redirect and shows the dashboard', async () => {
    await page.goto(`${stack.appUrl}/`);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'landing.png'), fullPage: true });

    await page.getByRole('link', { name: 'Sign in with RingCentral' }).click();
    await consent(page, 'approve', '101000002');
    await page.waitForURL(`${stack.appUrl}/`);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard.png'), fullPage: true });

    expect(await page.textContent('h1')).toBe('Signed in as Grace Hopper');
    expect(unexpected(watched.problems)).toEqual([]);
  });

  it('opens the call log from a signed-out link, signs in, and pages through real records', async () => {
    await page.goto(`${stack.appUrl}/api/call-log`);
    await consent(page, 'approve');
    await page.waitForURL(`${stack.appUrl}/api/call-log`);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'call-log.png'), fullPage: true });

    expect(await page.textContent('h1')).toBe('Your call log');
    expect(await page.locator('table.calls tbody tr').count()).toBe(25);
    await page.getByRole('link', { name: 'Older calls' }).click();
    await page.waitForURL(`${stack.appUrl}/api/call-log?page=2`);
    expect(await page.textContent('caption')).toContain('Page 2 of 3');
    await page.getByRole('link', { name: 'Back to your session' }).click();
    await page.getByRole('link', { name: 'Your extension' }).click();
    expect(await page.textContent('h1')).toBe('Your extension');
    expect(await page.textContent('.facts')).toContain('Ada Lovelace');
    expect(unexpected(watched.problems)).toEqual([]);
  });

  it('keeps showing records after RingCentral drops the access token: one refresh, no console error', async () => {
    await page.goto(`${stack.appUrl}/login`);
    await consent(page, 'approve');
    await page.waitForURL(`${stack.appUrl}/`);
    stack.emulator.faults.failNext('call-log', { kind: 'revoke-access-token' });

    await page.getByRole('link', { name: 'Your call log' }).click();

    expect(await page.locator('table.calls tbody tr').count()).toBe(25);
    expect(refreshCalls()).toBe(1);
    expect(unexpected(watched.problems)).toEqual([]);
  });

  it('signs in with a popup that reports back and closes, and the opener shows the dashboard', async () => {
    await page.goto(`${stack.appUrl}/`);

    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('link', { name: 'Sign in with a popup' }).click(),
    ]);
    await consent(popup, 'approve');
    await popup.waitForEvent('close');
    await page.waitForURL(`${stack.appUrl}/`);
    await page.waitForSelector('text=Signed in as Ada Lovelace');

    expect(popup.isClosed()).toBe(true);
    expect(unexpected(watched.problems)).toEqual([]);
  });

  it('uses postMessage to the opener when the sign-in page leaves window.opener alone', async () => {
    // The default emulator sends Cross-Origin-Opener-Policy: same-origin, which severs window.opener, so
    // the test above goes through the BroadcastChannel fallback. Here it does not, and BroadcastChannel is
    // removed from the opener: only postMessage can deliver the result.
    await stack.close();
    stack = await startStack({ emulator: { openerPolicy: 'unsafe-none' } });
    await page.addInitScript(() => {
      Reflect.deleteProperty(window, 'BroadcastChannel');
    });
    await page.goto(`${stack.appUrl}/`);

    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('link', { name: 'Sign in with a popup' }).click(),
    ]);
    await consent(popup, 'approve', '101000002');
    await popup.waitForEvent('close');
    await page.waitForSelector('text=Signed in as Grace Hopper');

    expect(unexpected(watched.problems)).toEqual([]);
  });

  it('brings a denied popup sign-in back to the opener as a message, and closes the popup', async () => {
    await page.goto(`${stack.appUrl}/`);

    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('link', { name: 'Sign in with a popup' }).click(),
    ]);
    await consent(popup, 'deny');
    await popup.waitForEvent('close');
    const status = page.locator('[data-signin-status]');
    await status.waitFor({ state: 'visible' });

    expect(await status.textContent()).toContain('Access not allowed');
    expect(unexpected(watched.problems, 403)).toEqual([]);
  });

  it('falls back to a full-page sign-in when the popup is blocked', async () => {
    await page.addInitScript(() => {
      window.open = () => null;
    });
    await page.goto(`${stack.appUrl}/`);

    await page.getByRole('link', { name: 'Sign in with a popup' }).click();
    await consent(page, 'approve');
    await page.waitForSelector('text=Signed in as Ada Lovelace');

    expect(unexpected(watched.problems)).toEqual([]);
  });

  it('shows a friendly page when the user denies access', async () => {
    await page.goto(`${stack.appUrl}/login`);

    await consent(page, 'deny');
    await page.waitForSelector('text=Access not allowed');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'error-denied.png'), fullPage: true });

    expect(await page.textContent('.lead')).toContain('You chose not to give this app access');
    expect(unexpected(watched.problems, 403)).toEqual([]);
  });

  it('returns to the deep link it was given', async () => {
    await page.goto(`${stack.appUrl}/login?returnTo=${encodeURIComponent('/?from=deep-link')}`);

    await consent(page, 'approve');
    await page.waitForURL(`${stack.appUrl}/?from=deep-link`);

    expect(await page.textContent('h1')).toBe('Signed in as Ada Lovelace');
    expect(unexpected(watched.problems)).toEqual([]);
  });

  it('refreshes in place: the result shows without leaving the page', async () => {
    await page.goto(`${stack.appUrl}/login`);
    await consent(page, 'approve');
    await page.waitForURL(`${stack.appUrl}/`);

    await page.getByRole('button', { name: 'Refresh now' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'refreshed' });
    await notice.waitFor({ state: 'visible' });

    expect(await notice.textContent()).toContain('The access token was refreshed');
    expect(page.url()).toBe(`${stack.appUrl}/`);
    expect(await page.textContent('[data-field="lastRefreshedAt"]')).toMatch(/UTC$/);
    expect(refreshCalls()).toBe(1);
    expect(unexpected(watched.problems)).toEqual([]);
  });

  it('counts the access token down live', async () => {
    await page.goto(`${stack.appUrl}/login`);
    await consent(page, 'approve');
    await page.waitForURL(`${stack.appUrl}/`);
    const clock = page.locator('[data-clock="access"] [data-time-left]');
    const first = await clock.textContent();

    await page.waitForFunction(
      (before) => document.querySelector('[data-clock="access"] [data-time-left]')?.textContent !== before,
      first,
    );

    expect(await clock.textContent()).toMatch(/left$/);
    expect(unexpected(watched.problems)).toEqual([]);
  });

  it('logs out, and Back then shows the signed-out page, not the dashboard', async () => {
    await page.goto(`${stack.appUrl}/login`);
    await consent(page, 'approve');
    await page.waitForURL(`${stack.appUrl}/`);

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForSelector('text=You are signed out');
    await page.goBack();
    await page.waitForLoadState();

    expect(await page.textContent('h1')).toBe('Sign in with RingCentral');
    expect(stack.emulator.requests.filter((r) => r.path === '/restapi/oauth/revoke')).toHaveLength(1);
    expect(unexpected(watched.problems)).toEqual([]);
  });
});

describe('with JavaScript disabled', () => {
  it('still signs in, refreshes and logs out with plain forms', async () => {
    const noScript = await watchedContext(browser, { javaScriptEnabled: false });
    const plain = await noScript.newPage();
    try {
      await plain.goto(`${stack.appUrl}/`);
      await plain.getByRole('link', { name: 'Sign in with a popup' }).click(); // a plain link without JS
      await consent(plain, 'approve');
      await plain.waitForURL(`${stack.appUrl}/`);

      await plain.getByRole('button', { name: 'Refresh now' }).click();
      await plain.waitForURL(`${stack.appUrl}/?refreshed=1`);
      expect(await plain.textContent('[data-notice]')).toBe('The access token was refreshed.');

      await plain.getByRole('button', { name: 'Log out' }).click();
      await plain.waitForSelector('text=You are signed out');
      expect(unexpected(noScript.problems)).toEqual([]);
    } finally {
      await noScript.context.close();
    }
  });
});
