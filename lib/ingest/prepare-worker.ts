// The second thread of ingest: turns NDJSON lines into alerts ready to write while the main thread
// writes. The import sends it every batch; the server a large body in chunks
// (write-while-preparing.ts). docs/decisions/0021, 0023 and 0032 say why.
import { parentPort, type MessagePort } from 'node:worker_threads';
import { WORKER_READY } from '../worker-threads';
import { claimFront } from './chunk-claims';
import type { NumberedLines } from './split-body';
import { prepareLines, type PrepareLinesOptions } from './prepare-lines';

export interface PrepareLinesRequest {
  lines: NumberedLines;
  options: PrepareLinesOptions;
}

/**
 * Chunks answered one by one on `port`, in order, each claimed from the front of `claims` first
 * (chunk-claims.ts); `answered[0]` counts the answers posted (PreparedChunks).
 */
export interface PrepareChunksRequest {
  chunks: NumberedLines[];
  options: PrepareLinesOptions;
  port: MessagePort;
  answered: Int32Array;
  claims: Uint32Array;
}

parentPort?.on('message', (request: PrepareLinesRequest | PrepareChunksRequest) => {
  if (!('chunks' in request)) {
    parentPort!.postMessage(prepareLines(request.lines, request.options));
    return;
  }
  const { chunks, options, port, answered, claims } = request;
  for (let index = claimFront(claims); index !== null; index = claimFront(claims)) {
    port.postMessage(prepareLines(chunks[index]!, options));
    // After the post: a reader woken by the count finds the answer on its port.
    Atomics.add(answered, 0, 1);
    Atomics.notify(answered, 0);
  }
  port.close();
});
parentPort?.postMessage(WORKER_READY);
