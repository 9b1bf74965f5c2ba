// Shared by `npm start` and `npm test`: make a fresh clone runnable without manual steps.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundle, bundlePath } from './bundle.mjs';

export const root = path.resolve(import.meta.dirname, '..', '..');

/**
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnSyncOptions} [options]
 */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`[perch] ${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

const mtime = (/** @type {string} */ file) => (existsSync(file) ? statSync(file).mtimeMs : 0);

/** @param {string} entry @returns {number} */
function newestMtime(entry) {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of readdirSync(entry)) {
    if (child === 'node_modules' || child.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(entry, child)));
  }
  return newest;
}

/** Installs dependencies when node_modules is missing or older than the lock file. */
export function ensureDependencies() {
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  if (existsSync(installed) && mtime(installed) >= mtime(path.join(root, 'package-lock.json'))) return;
  console.log('[perch] installing dependencies (npm ci; better-sqlite3 compiles from source, about 2 minutes)…');
  run('npm', ['ci', '--no-audit', '--no-fund'], { env: { ...process.env, JOBS: process.env.JOBS ?? 'max' } });
}

const BUILD_INPUTS = [
  'app',
  'components',
  'lib',
  'public',
  'proxy.ts',
  'instrumentation.ts',
  'next.config.js',
  'postcss.config.mjs',
  'tsconfig.json',
  'package-lock.json',
];

/**
 * Runs `next build` into `distDir` unless its last build is newer than every source file and was
 * made for the same PERCH_BASE_PATH (Next bakes the base path into the build), then the server and
 * worker bundles (scripts/lib/bundle.mjs) unless they are newer than that build and every source.
 */
export function ensureBuild({
  distDir = process.env.PERCH_DIST_DIR || '.next',
  basePath = process.env.PERCH_BASE_PATH ?? '',
} = {}) {
  const dir = path.join(root, distDir);
  const stampFile = path.join(dir, 'perch-base-path');
  const builtFor = existsSync(stampFile) ? readFileSync(stampFile, 'utf8') : null;
  const newestSource = Math.max(...BUILD_INPUTS.map((entry) => newestMtime(path.join(root, entry))));
  const built = mtime(path.join(dir, 'BUILD_ID'));
  if (!(built > 0 && built >= newestSource && builtFor === basePath)) nextBuild(distDir, basePath);
  const bundled = mtime(bundlePath(distDir, 'server'));
  const bundleInputs = Math.max(
    newestSource,
    mtime(path.join(root, 'scripts', 'lib', 'bundle.mjs')),
    mtime(path.join(dir, 'BUILD_ID')),
  );
  if (bundled >= bundleInputs) return;
  console.log(`[perch] bundling the server and worker threads into ${distDir}/perch…`);
  bundle({ distDir, basePath });
}

/** @param {string} distDir @param {string} basePath */
function nextBuild(distDir, basePath) {
  console.log(`[perch] building (next build${basePath ? ` for ${basePath}` : ''})…`);
  // Next adds a custom build folder's types to tsconfig.json; put the file back as it was (mtime
  // included, or every build would look stale to the next run).
  const tsconfig = path.join(root, 'tsconfig.json');
  const tsconfigText = readFileSync(tsconfig);
  const tsconfigTime = statSync(tsconfig).mtime;
  run(process.execPath, [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
    env: { ...process.env, PERCH_DIST_DIR: distDir, PERCH_BASE_PATH: basePath },
  });
  writeFileSync(tsconfig, tsconfigText);
  utimesSync(tsconfig, tsconfigTime, tsconfigTime);
  writeFileSync(path.join(root, distDir, 'perch-base-path'), basePath);
}

/** Debian's Chromium for Playwright (its own browser download cannot be reached here). */
export function ensureChromium() {
  if (existsSync('/usr/bin/chromium')) return;
  if (process.getuid?.() !== 0) {
    console.error(
      '[perch] browser tests need Chromium: run `sudo apt-get install -y --no-install-recommends chromium fonts-liberation`.',
    );
    process.exit(1);
  }
  console.log('[perch] installing Debian Chromium for the browser tests…');
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-liberation'], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/** @param {string} name */
export function nodeBin(name) {
  return path.join(root, 'node_modules', '.bin', name);
}

export { run };
