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

/** The fleet table's server rows (a plain table: every row is in the DOM). */
const FLEET_ROW = 'table.fleet-table tbody tr';
/** uPlot's canvas inside the coverage chart: there once the lazy chart has drawn. */
const FLEET_CHART = '[data-testid="coverage-chart"] canvas';

/**
 * A fresh browser context, signed in through the sign-in page, then on another page than the
 * measured one. Sign-in lands on the accounts with one server, on the fleet with several: `landed`
 * is what shows there once it has loaded.
 */
async function signedInPage(
  browser: Browser,
  baseUrl: string,
  credentials: Credentials,
  landed = ROW,
  away = '/policy',
) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Username').fill(credentials.username);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.locator(landed).first().waitFor({ timeout: 30_000 });
  // A fresh navigation, so the figure is navigation-to-rows, not sign-in-to-rows.
  await page.goto(`${baseUrl}${away}`);
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

export interface FleetViewFigures {
  /** Navigation to /fleet until every server's row is in the table and the chart has drawn. */
  rowsAndChartMs: number;
  /** The last keystroke of a search until its matches show (the box waits 250 ms for a pause). */
  searchMs: number;
  /** Matches on screen for that search. */
  matches: number;
}

/** The fleet screen on a signed-in session: its table and chart, then one search typed in. */
export async function measureFleetView(
  baseUrl: string,
  credentials: Credentials,
  servers: number,
  query: string,
): Promise<FleetViewFigures> {
  const browser = await chromium.launch({ headless: true, ...chromiumLaunchOptions() });
  try {
    // /me reads no WHM: nothing of it is still loading when /fleet is opened.
    const page = await signedInPage(browser, baseUrl, credentials, FLEET_ROW, '/me');
    await page.goto(`${baseUrl}/fleet`, { waitUntil: 'commit' });
    await page
      .locator(FLEET_ROW)
      .nth(servers - 1)
      .waitFor({ timeout: 30_000 });
    await page.locator(FLEET_CHART).waitFor({ timeout: 30_000 });
    const rowsAndChartMs = await page.evaluate(
      () =>
        new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.now()))),
    );

    const search = page.getByRole('searchbox', { name: /find a user or domain/i });
    await search.click();
    // As for the accounts' keystroke: the probe first, read after typing. It times from the last
    // key to the frame after the matches (or "no account matches") appear.
    await page.evaluate(() => {
      (window as unknown as { searched: Promise<number> }).searched = new Promise<number>(
        (resolve) => {
          let last = 0;
          document.addEventListener('keydown', () => (last = performance.now()), { capture: true });
          const shown = () =>
            document.querySelector('ul[aria-label="Matches"] li') ??
            Array.from(document.querySelectorAll('p')).find((p) =>
              p.textContent?.startsWith('No account matches'),
            );
          const observer = new MutationObserver(() => {
            if (!last || !shown()) return;
            observer.disconnect();
            requestAnimationFrame(() => resolve(performance.now() - last));
          });
          observer.observe(document.body, { subtree: true, childList: true, characterData: true });
          setTimeout(() => resolve(Number.NaN), 5_000);
        },
      );
    });
    await page.keyboard.type(query);
    const searchMs = await page.evaluate(
      () => (window as unknown as { searched: Promise<number> }).searched,
    );
    const matches = await page.locator('ul[aria-label="Matches"] li').count();
    return { rowsAndChartMs, searchMs, matches };
  } finally {
    await browser.close();
  }
}
