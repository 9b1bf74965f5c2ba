import { chromium } from '@playwright/test';
const [origin, url, out, w, h, scheme] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: Number(w), height: Number(h) }, colorScheme: scheme });
await page.goto(origin + url);
await page.waitForTimeout(4000);
await page.screenshot({ path: out, fullPage: false });
await browser.close();
