import 'server-only';
// A large NDJSON body: the worker prepares it in chunks while this thread writes them, in one
// transaction without returning to the event loop: nothing else touches the store between, and a
// bad line in a later chunk rolls back the whole body (decisions 0023, 0032 and 0033).
import type { WritableAlert, WriteResult } from '../db/event-writer';
import { ingestMetrics } from '../metrics/ingest-metrics';
import { MAX_CLAIMED_CHUNKS } from './chunk-claims';
import type { LinePreparer } from './line-preparer';
import type { PreparedBody } from './prepare-body';
import { prepareLines, type PreparedLines } from './prepare-lines';
import type { NumberedLines } from './split-body';

// Shorter bodies are prepared on this thread (prepare-body.ts): posting lines to the worker and
// the alerts back costs a copy of each, and a short body gains less than that.
export const MIN_STREAMED_LINES = 64;

// The first chunk is waited for with nothing to write meanwhile, so it is small; later ones double
// up to a size that keeps a 1,000-line body to a dozen messages.
const FIRST_CHUNK_LINES = 25;
const CHUNK_LINES = 100;

/** What the worker must offer: idle, so that the chunks are not queued behind another body. */
export type ChunkWorker = Pick<LinePreparer, 'ready' | 'backlog' | 'warmUp' | 'prepareChunks'>;

export interface WrittenBody {
  body: PreparedBody;
  /** Each alert's result, in order; null when the body's issues meant nothing was committed. */
  results: WriteResult[] | null;
}

// Thrown inside the transaction to roll it back; never leaves this module.
const DOOMED = Symbol('a bad line dooms the body');

/**
 * Prepares and writes an NDJSON body's lines at once when they are many and the worker is idle;
 * null when not (the caller then uses prepareBody and the queue). `write` commits the chunks in one
 * transaction (writeAlertChunks); its errors are thrown.
 */
export function writeWhilePreparing(
  lines: NumberedLines,
  { stopAfterIssues, partial }: { stopAfterIssues: number; partial: boolean },
  write: (chunks: Iterable<readonly WritableAlert[]>) => WriteResult[],
  worker: ChunkWorker | null,
): WrittenBody | null {
  if (worker === null || lines.length < MIN_STREAMED_LINES) return null;
  // The thread starts with the first large body, which does not wait for it.
  if (!worker.ready) worker.warmUp();
  if (!worker.ready || worker.backlog > 0) return null;

  const chunks: NumberedLines[] = [];
  for (let i = 0, size = FIRST_CHUNK_LINES; i < lines.length; i += size, size = Math.min(size * 2, CHUNK_LINES))
    chunks.push(lines.slice(i, i + size));
  if (chunks.length > MAX_CLAIMED_CHUNKS) return null;
  const answers = worker.prepareChunks(chunks, { stopAfterIssues });
  const body: PreparedBody = {
    alerts: [],
    issues: [],
    hasSyntaxErrors: false,
    stoppedEarly: false,
    entryCount: lines.length,
    isBatch: true,
  };
  let taken = 0;
  let workerFailed = false;
  // Chunks this thread took from the back of the worker's share, prepared while it waited.
  const stolen = new Map<number, PreparedLines>();
  const prepareHere = (index: number) => prepareLines(chunks[index]!, { stopAfterIssues });

  /** The worker's answer for the next chunk, preparing chunks from the back until it is in; null when this thread holds that chunk. */
  const answer = (): PreparedLines | null => {
    for (;;) {
      if (stolen.has(taken)) return null;
      const answered = answers.poll();
      if (answered !== undefined) return answered;
      const index = answers.steal();
      if (index === null) return answers.next();
      stolen.set(index, prepareHere(index));
    }
  };

  /** The next chunk prepared (by the worker, or here), added to `body`. */
  const take = (): PreparedLines | null => {
    if (taken === chunks.length) return null;
    let prepared: PreparedLines | null = null;
    if (!workerFailed) {
      try {
        prepared = answer();
        if (prepared !== null) ingestMetrics().workerPreparedEntries += chunks[taken]!.length;
      } catch (error) {
        console.error('[perch] the ingest worker thread failed; preparing on the main thread:', error);
        workerFailed = true;
      }
    }
    prepared ??= stolen.get(taken) ?? prepareHere(taken);
    stolen.delete(taken);
    ingestMetrics().streamedPreparedEntries += chunks[taken]!.length;
    taken++;
    for (const alert of prepared.alerts) body.alerts.push(alert);
    for (const issue of prepared.issues) body.issues.push(issue);
    body.hasSyntaxErrors ||= prepared.hasSyntaxErrors;
    body.stoppedEarly ||= prepared.stoppedEarly;
    return prepared;
  };

  function* preparedChunks(): Generator<readonly WritableAlert[]> {
    for (let prepared = take(); prepared !== null; prepared = take()) {
      if (prepared.issues.length > 0 && !partial) throw DOOMED;
      yield prepared.alerts;
    }
  }

  let results: WriteResult[] | null = null;
  try {
    results = write(preparedChunks());
  } catch (error) {
    if (error !== DOOMED) {
      answers.close();
      throw error;
    }
    // Rolled back: the rest of the body only serves the listing of its issues.
    while (body.issues.length < stopAfterIssues && take() !== null);
    body.stoppedEarly ||= taken < chunks.length;
  }
  answers.close();
  return { body, results };
}
