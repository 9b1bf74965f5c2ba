import { defineConfig, devices } from '@playwright/test';
import { SERVERS } from './e2e/servers';

// Debian's Chromium: Playwright's own browser download cannot be reached on these machines.
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync',
  ],
};

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
