// How every browser Perch starts is launched: the Playwright tests (playwright.config.ts), the
// bench's page timings (bench-pages.mjs) and the screenshots. One list, so that what the bench
// measures is the browser the tests drive.

/** Debian's Chromium: Playwright's own browser download cannot be reached on these machines. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Chromium reads only the last --disable-features on its command line, so ours replaces the list
// Playwright passes (playwright-core's chromiumSwitches.ts) and has to repeat it.
const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
];

// Chromium starts a renderer for the address bar's popups with every new window, and a Playwright
// context is one: first loads would time that renderer rather than Perch, where a real browser made
// it once at start-up (docs/decisions/0009).
const DISABLED_FEATURES = [...PLAYWRIGHT_DISABLED_FEATURES, 'WebUIOmniboxPopup', 'WebUIOmniboxAimPopup'];

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  `--disable-features=${DISABLED_FEATURES.join(',')}`,
];

export { PLAYWRIGHT_DISABLED_FEATURES };
