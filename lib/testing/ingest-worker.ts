// For tests of ingest's two threads: distinct alerts made from the real corpus, and a worker
// thread started once per test file and ready before its first test.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { LinePreparer } from '../ingest/line-preparer';

const CORPUS = fileURLToPath(new URL('../../e2e/fixtures/falco/real-events.ndjson', import.meta.url));
export const corpusLines = readFileSync(CORPUS, 'utf8')
  .split('\n')
  .filter((line) => line !== '');

/** The i-th distinct alert: the 87 real ones over and over, each with its own rule name. */
export const alertLine = (i: number) =>
  JSON.stringify({ ...JSON.parse(corpusLines[i % corpusLines.length]!), rule: `rule ${i}` });

/** A worker thread for the file's tests, once it has loaded its modules (call at the top level). */
export function readyWorker(): () => LinePreparer {
  let worker: LinePreparer | undefined;
  beforeAll(async () => {
    worker = new LinePreparer();
    worker.warmUp();
    while (!worker.ready) await new Promise((resolve) => setTimeout(resolve, 20));
  }, 30_000); // the thread loads its modules through tsx first: seconds on a busy machine
  afterAll(() => worker?.close());
  return () => worker!;
}
