// Starts a TypeScript module in a worker thread: workers do not inherit tsx's loader, so this
// plain-JS entry registers it (for both module systems, as `tsx` does on the command line), imports
// the module that workerData names, then tells the parent it is ready (WORKER_READY in
// lib/ingest/line-preparer.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { register as registerCommonJs } from 'tsx/cjs/api';
import { register as registerEsm } from 'tsx/esm/api';

registerCommonJs();
registerEsm();
await import(workerData.module);
parentPort?.postMessage('perch:worker-ready');
