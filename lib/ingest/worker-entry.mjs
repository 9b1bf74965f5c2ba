// Starts a TypeScript worker module from its sources (lib/worker-threads.ts, outside the build):
// workers do not inherit tsx's loader, so this plain-JS entry registers it for both module systems,
// as `tsx` does on the command line, then imports the module that workerData names.
import { workerData } from 'node:worker_threads';
import { register as registerCommonJs } from 'tsx/cjs/api';
import { register as registerEsm } from 'tsx/esm/api';

registerCommonJs();
registerEsm();
await import(workerData.module);
