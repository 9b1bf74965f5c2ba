// The one ingest service behind every way in: the webhook routes, the falcosidekick-ui drop-in
// routes and (through prepareEntries + writeAlerts) the import script.
import { ApiError, type ErrorIssue } from '../api/errors';
import { getConfig } from '../config';
import { getDb } from '../db/connection';
import { writeAlerts } from '../db/event-writer';
import { streamHub } from '../live/stream-hub';
import { requireIngestToken } from './auth';
import { CommitQueue } from './commit-queue';
import { prepareEntries } from './prepare';
import { readBodyText } from './read-body';
import { splitBody } from './split-body';

export interface IngestReport {
  stored: number;
  duplicates: number;
  /** One id per accepted alert, in request order (the existing id for a duplicate). */
  ids: number[];
  rejected?: ErrorIssue[];
}

const holder = globalThis as typeof globalThis & { __perchCommitQueue?: CommitQueue };

function commitQueue(): CommitQueue {
  holder.__perchCommitQueue ??= new CommitQueue((alerts) => {
    const results = writeAlerts(getDb(), alerts);
    streamHub().notifyCommitted();
    return results;
  }, getConfig().groupCommit);
  return holder.__perchCommitQueue;
}

const STORE_FAULTS = /^SQLITE_(FULL|READONLY|IOERR|BUSY|LOCKED|CANTOPEN|CORRUPT|NOTADB|PROTOCOL)/;

function isStoreFault(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && STORE_FAULTS.test(code);
}

/** Parses, validates and commits a body; resolves only once the alerts are durable. */
export async function ingestText(text: string, { partial = false } = {}): Promise<IngestReport> {
  const { entries } = splitBody(text);
  if (entries.length === 0) throw new ApiError('empty_body', 'The body is empty; send a Falco alert as JSON.');

  const { valid, issues, hasSyntaxErrors } = prepareEntries(entries);
  if (issues.length > 0 && (!partial || valid.length === 0)) {
    const batch = entries.length > 1 || 'index' in (entries[0]?.position ?? {});
    const message = batch
      ? `${issues.length} problem(s) in the batch; nothing was stored${partial ? '' : ' (add ?partial=1 to store the valid alerts)'}.`
      : hasSyntaxErrors
        ? 'The body is not valid JSON.'
        : 'The alert is not a valid Falco alert; nothing was stored.';
    throw new ApiError(hasSyntaxErrors ? 'invalid_json' : 'invalid_alert', message, issues);
  }

  let results;
  try {
    results = await commitQueue().submit(valid.map((entry) => entry.alert));
  } catch (error) {
    if (!isStoreFault(error)) throw error;
    console.error('[perch] store write failed:', error);
    throw new ApiError('store_unavailable', 'The alert store cannot accept writes right now; retry later.', undefined, {
      'retry-after': '5',
    });
  }
  const duplicates = results.filter((r) => r.duplicate).length;
  const report: IngestReport = { stored: results.length - duplicates, duplicates, ids: results.map((r) => r.id) };
  if (issues.length > 0) report.rejected = issues;
  return report;
}

/** Everything an ingest route does: authenticate, read within the size limit, ingest. */
export async function ingestRequest(request: Request): Promise<IngestReport> {
  const config = getConfig();
  requireIngestToken(request, config.ingestToken);
  const text = await readBodyText(request, config.maxBodyBytes);
  const partial = ['1', 'true'].includes(new URL(request.url).searchParams.get('partial') ?? '');
  return ingestText(text, { partial });
}
