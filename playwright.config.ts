import { defineConfig, devices } from '@playwright/test';
import { SERVERS } from './e2e/servers';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/lib/chromium.mjs';

const chromium = { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS };

export default defineConfig({
  testDir: 'e2e',
  // One worker: two cores serve the servers under test too, and tests that count alerts stay exact.
  workers: 1,
  retries: 0,
  timeout: 30_000,
  reporter: [['list']],
  use: { baseURL: SERVERS.main.url, trace: 'off' },
  projects: [
    { name: 'api', testDir: 'e2e/api' },
    {
      name: 'ui',
      testDir: 'e2e/ui',
      use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 800 }, launchOptions: chromium },
    },
  ],
  webServer: Object.values(SERVERS).map((server) => ({
    command: 'node scripts/e2e-server.mjs',
    url: `${server.url}/api/health`,
    env: { ...server.env, PORT: String(server.port) },
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
  })),
});
