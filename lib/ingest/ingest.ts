// The one ingest service behind every way in: the webhook routes, the falcosidekick-ui drop-in
// routes and (through prepareEntries + writeAlerts) the import script.
import { DomainError, type ErrorIssue } from '../errors';
import { getConfig } from '../config';
import { getDb } from '../db/connection';
import { writeAlertChunks } from '../db/event-writer';
import type { WritableAlert, WriteResult } from '../db/event-writer';
import { streamHub } from '../live/stream-hub';
import { ingestMetrics } from '../metrics/ingest-metrics';
import { requireIngestToken, type TokenCarrier } from './auth';
import { CommitQueue, isQueueFull } from './commit-queue';
import { sharedPreparer } from './line-preparer';
import { prepareBody } from './prepare-body';
import { readBodyText } from './read-body';
import { batchLines, hasMoreEntriesThan } from './split-body';
import { writeWhilePreparing, type WrittenBody } from './write-while-preparing';

export interface IngestReport {
  stored: number;
  duplicates: number;
  /** One id per accepted alert, in request order (the existing id for a duplicate). */
  ids: number[];
  rejected?: ErrorIssue[];
}

const holder = globalThis as typeof globalThis & { __perchCommitQueue?: CommitQueue };

/** Commits alerts (in chunks that may still be on their way) and tells the live stream. */
function commitChunks(chunks: Iterable<readonly WritableAlert[]>): WriteResult[] {
  const results = writeAlertChunks(getDb(), chunks);
  streamHub().notifyCommitted();
  return results;
}

function commitQueue(): CommitQueue {
  const { groupCommit, maxPendingAlerts } = getConfig();
  holder.__perchCommitQueue ??= new CommitQueue((alerts) => commitChunks([alerts]), {
    grouped: groupCommit,
    maxPending: maxPendingAlerts,
  });
  return holder.__perchCommitQueue;
}

/** Alerts waiting for their commit now, and the most that may wait. */
export function ingestQueueState(): { pendingAlerts: number; maxPendingAlerts: number } {
  const queue = commitQueue();
  return { pendingAlerts: queue.pendingAlerts, maxPendingAlerts: queue.maxPending };
}

// An error response lists this many issues at most: a body of many empty objects would otherwise
// be answered with issues many times its size.
const MAX_REPORTED_ISSUES = 100;

// A full queue drains within seconds at the commit rate (docs/decisions/0014): a sender that backs
// off for a second finds room soon, one that waits longer only falls further behind.
const overloaded = () =>
  new DomainError(
    'ingest_overloaded',
    'Perch is receiving alerts faster than it can store them; retry later.',
    undefined,
    1,
  );

const STORE_FAULTS = /^SQLITE_(FULL|READONLY|IOERR|BUSY|LOCKED|CANTOPEN|CORRUPT|NOTADB|PROTOCOL)/;

function isStoreFault(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && STORE_FAULTS.test(code);
}

/** A failed write as the sender should see it: a full queue or a faulty store asks it to retry. */
function writeFailure(error: unknown): unknown {
  if (isQueueFull(error)) return overloaded();
  if (!isStoreFault(error)) return error;
  console.error('[perch] store write failed:', error);
  return new DomainError(
    'store_unavailable',
    'The alert store cannot accept writes right now; retry later.',
    undefined,
    5,
  );
}

/** Parses, validates and commits a body; resolves only once the alerts are durable. */
async function ingestText(text: string, { partial = false } = {}): Promise<IngestReport> {
  const { maxPendingAlerts } = getConfig();
  if (hasMoreEntriesThan(text, maxPendingAlerts)) {
    throw new DomainError(
      'payload_too_large',
      `The body holds more than PERCH_MAX_PENDING (${maxPendingAlerts}) alerts; send smaller batches.`,
    );
  }
  // Without ?partial=1 the first bad entry dooms the batch: finding the rest only serves the listing.
  const stopAfterIssues = partial ? Number.POSITIVE_INFINITY : MAX_REPORTED_ISSUES;
  const queue = commitQueue();
  // A large body is written as it is prepared, and is then already committed (or, when its issues
  // doom it, rolled back) here; the rest is prepared here and its commit queued.
  const lines = batchLines(text);
  let streamed: WrittenBody | null;
  try {
    streamed =
      lines === null ? null : writeWhilePreparing(lines, { stopAfterIssues, partial }, commitChunks, sharedPreparer());
  } catch (error) {
    throw writeFailure(error);
  }
  const { alerts, issues, hasSyntaxErrors, stoppedEarly, entryCount, isBatch } =
    streamed?.body ?? prepareBody(text, { stopAfterIssues }, lines);
  if (entryCount === 0) throw new DomainError('empty_body', 'The body is empty; send a Falco alert as JSON.');
  const listed = issues.slice(0, MAX_REPORTED_ISSUES);
  const unlisted = issues.length > listed.length || stoppedEarly ? ` (the first ${listed.length} are listed)` : '';
  if (issues.length > 0 && (!partial || alerts.length === 0)) {
    const count = stoppedEarly ? `At least ${issues.length}` : `${issues.length}`;
    const message = isBatch
      ? `${count} problem(s) in the batch${unlisted}; nothing was stored${partial ? '' : ' (add ?partial=1 to store the valid alerts)'}.`
      : hasSyntaxErrors
        ? 'The body is not valid JSON.'
        : 'The alert is not a valid Falco alert; nothing was stored.';
    throw new DomainError(hasSyntaxErrors ? 'invalid_json' : 'invalid_alert', message, listed);
  }

  const metrics = ingestMetrics();
  metrics.countAlerts(metrics.received, alerts);
  let results = streamed?.results;
  if (!results) {
    try {
      results = await queue.submit(alerts);
    } catch (error) {
      throw writeFailure(error);
    }
  }
  const stored: WritableAlert[] = [];
  const duplicates: WritableAlert[] = [];
  for (const [i, result] of results.entries()) (result.duplicate ? duplicates : stored).push(alerts[i]!);
  metrics.countAlerts(metrics.stored, stored);
  metrics.countAlerts(metrics.duplicates, duplicates);
  if (issues.length > 0) metrics.partialEntriesRejected += entryCount - alerts.length;
  const report: IngestReport = { stored: stored.length, duplicates: duplicates.length, ids: results.map((r) => r.id) };
  if (issues.length > 0) report.rejected = listed;
  return report;
}

/** What ingest needs of a request, whether Next's web Request or node:http's (lib/ingest/node-ingest.ts). */
export interface IngestCall extends TokenCarrier {
  /** The body as text; throws payload_too_large beyond `maxBytes`. */
  readBody(maxBytes: number): Promise<string>;
}

/** Everything an ingest route does: authenticate, refuse when overloaded, read within the size limit, ingest. */
export async function ingestCall(call: IngestCall): Promise<IngestReport> {
  const started = performance.now();
  const metrics = ingestMetrics();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    const config = getConfig();
    requireIngestToken(call, config.ingestToken);
    // Before the body is read: under overload a refusal must cost next to nothing.
    if (commitQueue().full) throw overloaded();
    const text = await call.readBody(config.maxBodyBytes);
    const partial = ['1', 'true'].includes(call.searchParams.get('partial') ?? '');
    const report = await ingestText(text, { partial });
    metrics.observeIngest('stored', seconds());
    return report;
  } catch (error) {
    metrics.observeIngest(metrics.countFailure(error instanceof DomainError ? error.code : 'internal'), seconds());
    throw error;
  }
}

/** ingestCall for a route handler's Request. */
export function ingestRequest(request: Request): Promise<IngestReport> {
  return ingestCall({
    authorization: request.headers.get('authorization'),
    searchParams: new URL(request.url).searchParams,
    header: (name) => request.headers.get(name),
    readBody: (maxBytes) => readBodyText(request, maxBytes),
  });
}
