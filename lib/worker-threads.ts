// Perch's worker threads start from the build's bundles (scripts/bundle.mjs) when Perch runs from the
// build, and from the TypeScript sources through tsx otherwise (next dev, the tests, the scripts).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** What a worker module posts once it has loaded: a message sent now is answered without a start-up wait. */
export const WORKER_READY = 'perch:worker-ready';

/** The worker modules, by the name of their bundle. */
const SOURCES = {
  'prepare-worker': 'lib/ingest/prepare-worker.ts',
  'read-worker': 'lib/db/read-worker.ts',
} as const;
type WorkerName = keyof typeof SOURCES;

// Both the build's bundles and the sources are found from the project folder, not from this module's
// URL, which points into whichever bundle holds it: every way Perch starts runs in the project folder.
const fromBuild = process.env.NODE_ENV === 'production';

/** The bundle's path under the build folder (next.config.js `distDir`). */
const bundledWorker = (name: WorkerName) =>
  path.join(process.cwd(), process.env.PERCH_DIST_DIR || '.next', 'perch', `${name}.mjs`);

const SOURCE_ENTRY = () => path.join(process.cwd(), 'lib', 'ingest', 'worker-entry.mjs');
const source = (name: WorkerName) => path.join(process.cwd(), SOURCES[name]);

/** Whether the worker's code is at hand: without it, its work runs on the calling thread. */
export function canStartWorker(name: WorkerName): boolean {
  return fromBuild ? existsSync(bundledWorker(name)) : existsSync(SOURCE_ENTRY()) && existsSync(source(name));
}

/** Starts the worker; it posts WORKER_READY once its modules have loaded. */
export function startWorker(name: WorkerName, options: WorkerOptions = {}): Worker {
  const [file, workerData] = fromBuild
    ? [bundledWorker(name), options.workerData]
    : [SOURCE_ENTRY(), { ...options.workerData, module: pathToFileURL(source(name)).href }];
  // As Perch itself runs: `server-only` modules load outside React's client build.
  const execArgv = [...(options.execArgv ?? []), '--conditions=react-server'];
  // Not `new Worker(…)`: Turbopack bundles what a literal `new Worker` names (tsx and esbuild's
  // binary with it, which fails the build) and ignores its ignore comment there.
  return Reflect.construct(Worker, [file, { ...options, workerData, execArgv }]) as Worker;
}
