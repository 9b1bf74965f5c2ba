// @ts-check
// Screenshots of Perch's pages in both themes at laptop and wall-screen sizes, for looking at.
// Usage: node scripts/screenshots.mjs <baseUrl> <outDir> [path ...]   (Debian Chromium, /usr/bin/chromium)
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './lib/chromium.mjs';

const [base = 'http://127.0.0.1:3000', outDir = 'screenshots', ...paths] = process.argv.slice(2);
const pages = paths.length > 0 ? paths : ['/', '/events', '/rules', '/containers', '/health'];
const sizes = [
  { name: 'laptop', width: 1280, height: 800 },
  { name: 'wide', width: 1920, height: 1080 },
];
mkdirSync(outDir, { recursive: true });

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
for (const theme of /** @type {const} */ (['light', 'dark'])) {
  for (const size of sizes) {
    const context = await browser.newContext({
      viewport: { width: size.width, height: size.height },
      colorScheme: theme,
    });
    await context.addCookies([{ name: 'perch-theme', value: theme, url: base }]);
    const page = await context.newPage();
    for (const target of pages) {
      await page.goto(`${base}${target}`, { waitUntil: 'networkidle' });
      await page.waitForTimeout(300);
      const file = path.join(
        outDir,
        `${target.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'overview'}-${theme}-${size.name}.png`,
      );
      await page.screenshot({ path: file, fullPage: process.env.VIEWPORT_ONLY !== '1' });
      console.log(file);
    }
    await context.close();
  }
}
await browser.close();
