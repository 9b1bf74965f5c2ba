// Starts a TypeScript module in a worker thread: workers do not inherit tsx's loader, so this
// plain-JS entry registers it (for both module systems, as `tsx` does on the command line) and
// then imports the module that workerData names.
import { workerData } from 'node:worker_threads';
import { register as registerCommonJs } from 'tsx/cjs/api';
import { register as registerEsm } from 'tsx/esm/api';

registerCommonJs();
registerEsm();
await import(workerData.module);
