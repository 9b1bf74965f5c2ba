// @ts-check
// The `pages` part of `npm run bench`: how long each page takes, in a real browser against the
// production server on the filled store, from navigation until every panel has its data and its
// main content is on screen (the targets are in docs/benchmarks.md).
import { chromium } from '@playwright/test';
import { spread } from './bench-http.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

/**
 * True once the page shows data: something only data draws is there, and no loading state or
 * undrawn timeline is left. Loading states are in the server's HTML, so "nothing loading" waits too.
 */
function isUsable() {
  const root = document.querySelector('main, .kiosk-root');
  if (!root || root.querySelectorAll('section, .kiosk-root *').length === 0) return false;
  if (document.querySelector('[aria-label^="Loading"]')) return false;
  for (const status of document.querySelectorAll('[role="status"]')) {
    if (/^\s*Loading/.test(status.textContent ?? '')) return false;
  }
  if (/Loading…/.test(root.textContent ?? '')) return false;
  // A timeline draws its bars only once its code has arrived and it has sized its box.
  for (const timeline of root.querySelectorAll('figure[data-testid="timeline"]')) {
    if (!timeline.querySelector('svg.recharts-surface')) return false;
  }
  return root.querySelector('tbody tr, svg.recharts-surface, li a, ol li, dl') !== null;
}

/**
 * Opens each page `loads` times (cold in a fresh context, then reloads): times to usable and the
 * first load's API calls. Each page is first opened untimed elsewhere, so the first timed page does
 * not pay the server's own warm-up (compiling its route code), which no later visitor pays.
 * @param {string} origin
 * @param {readonly (readonly [name: string, url: string])[]} pages
 */
export async function measurePages(origin, pages, { loads = 5, viewport = { width: 1440, height: 900 } } = {}) {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  /** @type {{ name: string, url: string, cold: number | undefined, warm: ReturnType<typeof spread>, apiCalls: number }[]} */
  const rows = [];
  try {
    const warmUp = await browser.newContext({ viewport });
    const warmPage = await warmUp.newPage();
    for (const [, url] of pages) {
      await warmPage.goto(origin + url, { waitUntil: 'commit' });
      await warmPage.waitForFunction(isUsable, undefined, { timeout: 60_000, polling: 100 });
    }
    await warmUp.close();
    for (const [name, url] of pages) {
      const context = await browser.newContext({ viewport, colorScheme: 'dark' });
      const page = await context.newPage();
      /** @type {number[]} */
      const samples = [];
      let apiCalls = 0;
      page.on('request', (request) => {
        if (new URL(request.url()).pathname.startsWith('/api/') && !request.url().includes('/api/stream')) apiCalls++;
      });
      let firstLoadCalls = 0;
      for (let i = 0; i < loads; i++) {
        apiCalls = 0;
        const started = performance.now();
        await page.goto(origin + url, { waitUntil: 'commit' });
        await page.waitForFunction(isUsable, undefined, { timeout: 60_000, polling: 25 });
        samples.push(performance.now() - started);
        if (i === 0) firstLoadCalls = apiCalls;
      }
      await context.close();
      rows.push({ name, url, cold: samples[0], warm: spread(samples.slice(1)), apiCalls: firstLoadCalls });
    }
  } finally {
    await browser.close();
  }
  return rows;
}
