// The second thread of ingest: turns NDJSON lines into alerts ready to write (prepareLines), so
// that the main thread only writes. `npm run import` sends it every batch; the server sends it part
// of each large body (lib/ingest/prepare-body.ts). Done on one thread, this work took more of each
// alert's time than SQLite did.
import { parentPort } from 'node:worker_threads';
import type { NumberedLines } from './split-body';
import { prepareLines, type PrepareLinesOptions } from './prepare-lines';

export interface PrepareLinesRequest {
  lines: NumberedLines;
  options: PrepareLinesOptions;
}

parentPort?.on('message', ({ lines, options }: PrepareLinesRequest) => parentPort!.postMessage(prepareLines(lines, options)));
