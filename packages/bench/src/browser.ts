import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumLaunchOptions } from '../../../scripts/chromium.mjs';
import { countWireBytes, overThrottledLink, type WireBytes } from './wire.js';

export interface BrowserFigures {
  firstRowsMs: number;
  keystrokeMs: number;
  longTasksWhileScrolling: number;
  /** The longest of them, ms (0 when none): tells a stutter from a frozen page. */
  longestTaskMs: number;
  /** Navigation to the first rows over the throttled link (wire.ts), cold cache. */
  throttledFirstRowsMs: number;
  /** What that navigation moved: the accounts view's /api answers and the SPA's assets. */
  wire: WireBytes;
}

/** Data rows of the virtualized table (row 1 is the header). */
const ROW = 'tr[aria-rowindex]:not([aria-rowindex="1"])';

interface Credentials {
  username: string;
  password: string;
}

/** A fresh browser context, signed in through the sign-in page, on another page than accounts. */
async function signedInPage(browser: Browser, baseUrl: string, credentials: Credentials) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Username').fill(credentials.username);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.locator(ROW).first().waitFor({ timeout: 30_000 });
  // A fresh navigation, so the figure is navigation-to-rows, not sign-in-to-rows.
  await page.goto(`${baseUrl}/policy`);
  return page;
}

/**
 * Navigation to the first rows over the throttled link with a cold cache, and the bytes that load
 * moved; they are counted once the network is idle, so answers still coming after the first rows
 * count too.
 */
async function throttledLoad(page: Page, baseUrl: string) {
  // The previous page's requests finish first: none of them shares the throttled link.
  await page.waitForLoadState('networkidle');
  let firstRowsMs = Number.NaN;
  const wire = await overThrottledLink(page, (cdp) =>
    countWireBytes(cdp, async () => {
      await page.goto(`${baseUrl}/accounts`, { waitUntil: 'commit', timeout: 60_000 });
      await page.locator(ROW).first().waitFor({ timeout: 60_000 });
      firstRowsMs = await page.evaluate(() => performance.now());
      await page.waitForLoadState('networkidle', { timeout: 60_000 });
    }),
  );
  return { firstRowsMs, wire };
}

/**
 * The accounts view on a signed-in session: first rows, one filter keystroke, a long scroll; then,
 * in a fresh context, the first rows over the throttled link and the bytes on the wire.
 */
export async function measureAccountsView(
  baseUrl: string,
  credentials: Credentials,
): Promise<BrowserFigures> {
  const browser = await chromium.launch({ headless: true, ...chromiumLaunchOptions() });
  try {
    const page = await signedInPage(browser, baseUrl, credentials);
    await page.goto(`${baseUrl}/accounts`, { waitUntil: 'commit' });
    await page.locator(ROW).first().waitFor({ timeout: 30_000 });
    const firstRowsMs = await page.evaluate(() => performance.now());

    // For profiling: BENCH_BROWSER_TRACE=FILE writes Chromium's trace of the keystroke and the scroll.
    const traceFile = process.env.BENCH_BROWSER_TRACE;
    if (traceFile) {
      await browser.startTracing(page, {
        path: traceFile,
        categories: [
          'devtools.timeline',
          'disabled-by-default-devtools.timeline',
          'disabled-by-default-v8.cpu_profiler',
          'blink',
          'v8',
        ],
      });
    }
    const search = page.getByRole('searchbox').first();
    await search.click();
    // The probe is installed first and read after the key: a page.evaluate still awaiting its
    // promise would hold the keystroke back until it timed out.
    await page.evaluate(() => {
      (window as unknown as { keystroke: Promise<number> }).keystroke = new Promise<number>(
        (resolve) => {
          let start = 0;
          const observer = new MutationObserver(() => {
            if (!start) return;
            observer.disconnect();
            requestAnimationFrame(() => resolve(performance.now() - start));
          });
          document.addEventListener('keydown', () => (start = performance.now()), {
            once: true,
            capture: true,
          });
          observer.observe(document.body, { subtree: true, childList: true, characterData: true });
          // No change seen: not a figure, and reported as such rather than as a number.
          setTimeout(() => resolve(Number.NaN), 5_000);
        },
      );
    });
    // A key that changes the rows on screen: the seed's first rows all contain digits, few hold "z".
    await page.keyboard.type('z');
    const keystrokeMs = await page.evaluate(
      () => (window as unknown as { keystroke: Promise<number> }).keystroke,
    );
    await search.fill('');
    await page.locator(ROW).nth(5).waitFor();

    await page.evaluate(() => {
      const tasks: number[] = [];
      (window as unknown as { longTasks: number[] }).longTasks = tasks;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) tasks.push(entry.duration);
      }).observe({ type: 'longtask' });
    });
    const box = await page.locator(ROW).nth(3).boundingBox();
    if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let step = 0; step < 60; step += 1) {
      await page.mouse.wheel(0, 1_200);
      await page.waitForTimeout(30);
    }
    await page.waitForTimeout(300);
    if (traceFile) await browser.stopTracing();
    const longTasks = await page.evaluate(
      () => (window as unknown as { longTasks: number[] }).longTasks,
    );
    await page.context().close();
    const throttled = await throttledLoad(
      await signedInPage(browser, baseUrl, credentials),
      baseUrl,
    );
    return {
      throttledFirstRowsMs: throttled.firstRowsMs,
      wire: throttled.wire,
      firstRowsMs,
      keystrokeMs,
      longTasksWhileScrolling: longTasks.length,
      longestTaskMs: Math.max(0, ...longTasks),
    };
  } finally {
    await browser.close();
  }
}
