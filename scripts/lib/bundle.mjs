// Builds what runs beside Next's build, into <distDir>/perch/: the server (lib/server/serve.ts),
// which owns the node:http fast path, and the worker threads, so that production runs no tsx.
// `npm run build` runs it after `next build`; `npm start` and `npm test` through ensureBuild.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);

/** The bundles and their sources; lib/worker-threads.ts finds the workers by these names. */
const ENTRIES = {
  server: 'lib/server/serve.ts',
  'prepare-worker': 'lib/ingest/prepare-worker.ts',
  'read-worker': 'lib/db/read-worker.ts',
};

/** @param {string} distDir @param {keyof typeof ENTRIES} name */
export const bundlePath = (distDir, name) => path.resolve(root, distDir, 'perch', `${name}.mjs`);

/** Bundles Perch's own code; packages stay imports, resolved at run time from node_modules. */
export function bundle({ distDir = '.next', basePath = '' } = {}) {
  /** @type {{ dependencies: Record<string, string>, devDependencies: Record<string, string> }} */
  const pkg = require(path.join(root, 'package.json'));
  // Bundled under the react-server condition, so that its empty module is the one loaded.
  const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter(
    (name) => name !== 'server-only',
  );
  /** @type {typeof import('esbuild')} */
  const esbuild = require('esbuild');
  esbuild.buildSync({
    absWorkingDir: root,
    entryPoints: ENTRIES,
    outdir: path.resolve(root, distDir, 'perch'),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['react-server'],
    external: [...external, ...external.map((name) => `${name}/*`)],
    // What Next bakes into its own build, so that both copies of a module agree.
    define: {
      'process.env.NODE_ENV': '"production"',
      'process.env.NEXT_PUBLIC_PERCH_BASE_PATH': JSON.stringify(basePath.trim().replace(/\/+$/, '')),
    },
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // The folder and base path next.config.js gave `next build`, from the same environment.
  /** @type {{ distDir?: string, basePath?: string }} */
  const config = require(path.join(root, 'next.config.js'));
  bundle({ distDir: config.distDir, basePath: config.basePath });
}
