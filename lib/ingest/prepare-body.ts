import 'server-only';
// A request body turned into alerts ready to write. A large NDJSON body is prepared on two threads
// at once, the worker taking the back part of the lines while this thread does the front, since
// preparing takes nearly as long as writing and a sender waits for both (docs/decisions/0022).
import type { ErrorIssue } from '../errors';
import type { WritableAlert } from '../db/event-writer';
import { ingestMetrics } from '../metrics/ingest-metrics';
import { canPrepareInWorker, LinePreparer } from './line-preparer';
import { prepareEntries } from './prepare';
import { prepareLines, type PreparedLines } from './prepare-lines';
import { batchLines, splitBody, type NumberedLines } from './split-body';

export interface PreparedBody {
  alerts: WritableAlert[];
  issues: ErrorIssue[];
  hasSyntaxErrors: boolean;
  /** Checking stopped at `stopAfterIssues`: `alerts` and `issues` are then incomplete. */
  stoppedEarly: boolean;
  /** Alerts the body holds, valid or not (0: nothing but white space). */
  entryCount: number;
  /** The body is NDJSON or an array: issues name a line or an index. */
  isBatch: boolean;
}

// Fewer lines are prepared here alone: posting lines to the worker and the alerts back costs a
// copy of each, and a short body gains less than that.
const MIN_SHARED_LINES = 64;

// The worker's part of a shared body: this thread's part costs no copy back, but it also reads the
// request and writes the alerts, so it takes no more than half; with other bodies on their way to
// the store, it has their writes to do, and the worker takes all of the new body.
const WORKER_SHARE = 0.5;
const WORKER_SHARE_WHEN_BUSY = 1;

// Shared bodies being prepared now (their writes follow on this thread).
let bodiesInPreparation = 0;

/** What prepareBody needs of the worker thread (a LinePreparer). */
export type LineWorker = Pick<LinePreparer, 'ready' | 'warmUp' | 'prepare'>;

const holder = globalThis as typeof globalThis & { __perchLinePreparer?: LinePreparer | null };

/** The server's one ingest worker, or null where its sources are not at hand. */
export function sharedPreparer(): LinePreparer | null {
  if (holder.__perchLinePreparer === undefined) {
    holder.__perchLinePreparer = canPrepareInWorker() ? new LinePreparer({ unref: true }) : null;
  }
  return holder.__perchLinePreparer;
}

let reportedWorkerFailure = false;

async function prepareShared(
  lines: NumberedLines,
  stopAfterIssues: number,
  preparer: LineWorker,
  writesPending: boolean,
): Promise<PreparedLines> {
  const share = writesPending || bodiesInPreparation > 0 ? WORKER_SHARE_WHEN_BUSY : WORKER_SHARE;
  bodiesInPreparation++;
  try {
    return await prepareSplit(lines, Math.ceil(lines.length * (1 - share)), stopAfterIssues, preparer);
  } finally {
    bodiesInPreparation--;
  }
}

/** Lines before `cut` prepared on this thread, the rest on the worker, at once. */
async function prepareSplit(
  lines: NumberedLines,
  cut: number,
  stopAfterIssues: number,
  preparer: LineWorker,
): Promise<PreparedLines> {
  const back = lines.slice(cut);
  // Posted before this thread starts on its part, so that both run at once.
  const theirs = preparer.prepare(back, { stopAfterIssues });
  const ours = prepareLines(lines.slice(0, cut), { stopAfterIssues });
  let rest: PreparedLines;
  try {
    rest = await theirs;
    ingestMetrics().workerPreparedEntries += back.length;
  } catch (error) {
    // The thread died (it is started again for the next body): this body is still answered.
    if (!reportedWorkerFailure)
      console.error('[perch] the ingest worker thread failed; preparing on the main thread:', error);
    reportedWorkerFailure = true;
    rest = prepareLines(back, { stopAfterIssues });
  }
  return {
    alerts: [...ours.alerts, ...rest.alerts],
    issues: [...ours.issues, ...rest.issues],
    hasSyntaxErrors: ours.hasSyntaxErrors || rest.hasSyntaxErrors,
    stoppedEarly: ours.stoppedEarly || rest.stoppedEarly,
  };
}

/**
 * Parses, validates and normalises a body (one alert, a JSON array, or NDJSON). `stopAfterIssues`
 * as prepareEntries; `writesPending`: alerts of other requests wait to be written on this thread.
 * `preparer` is the worker thread to share large NDJSON bodies with.
 */
export async function prepareBody(
  text: string,
  { stopAfterIssues = Number.POSITIVE_INFINITY, writesPending = false } = {},
  preparer: LineWorker | null = sharedPreparer(),
): Promise<PreparedBody> {
  const lines = batchLines(text);
  if (lines === null) {
    const { entries } = splitBody(text);
    const { valid, ...rest } = prepareEntries(entries, { stopAfterIssues });
    const isBatch = entries.length > 1 || 'index' in (entries[0]?.position ?? {});
    return { alerts: valid.map((entry) => entry.alert), ...rest, entryCount: entries.length, isBatch };
  }
  let prepared: PreparedLines;
  if (preparer?.ready && lines.length >= MIN_SHARED_LINES) {
    prepared = await prepareShared(lines, stopAfterIssues, preparer, writesPending);
  } else {
    // The thread starts with the first large body, which does not wait for it.
    if (preparer !== null && lines.length >= MIN_SHARED_LINES) preparer.warmUp();
    prepared = prepareLines(lines, { stopAfterIssues });
  }
  return { ...prepared, entryCount: lines.length, isBatch: true };
}
