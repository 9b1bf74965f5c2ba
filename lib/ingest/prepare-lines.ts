// NDJSON lines turned into alerts ready to write: parsed, validated, normalised and deflated. The
// work of the ingest worker thread (lib/ingest/prepare-worker.ts), and of the main thread for its
// share of a body (lib/ingest/prepare-body.ts) and of the bench's fill threads.
import type { ErrorIssue } from '../errors';
import { packRaw } from '../db/raw-json';
import type { WritableAlert } from '../db/event-writer';
import { prepareEntries } from './prepare';
import { parseEntry, type BodyEntry, type NumberedLines } from './split-body';

export interface PrepareLinesOptions {
  /** As prepareEntries: stop once this many issues are found. */
  stopAfterIssues?: number;
}

export interface PreparedLines {
  /** Raw JSON already deflated (packedRaw); `raw` is left empty so it is not copied back. */
  alerts: WritableAlert[];
  issues: ErrorIssue[];
  hasSyntaxErrors: boolean;
  stoppedEarly: boolean;
}

export function prepareLines(lines: NumberedLines, { stopAfterIssues }: PrepareLinesOptions = {}): PreparedLines {
  const entries: BodyEntry[] = [];
  // Each text is a trimmed, non-empty line: what splitBody would make one entry of.
  for (const [line, text] of lines) entries.push(parseEntry(text, { line }));
  const { valid, issues, hasSyntaxErrors, stoppedEarly } = prepareEntries(entries, { stopAfterIssues });
  // Copied out to a buffer of its own: zlib's result is a view into a larger shared one, and posting
  // a view to another thread copies its whole buffer, for every alert.
  const alerts = valid.map(({ alert }) => ({ ...alert, raw: '', packedRaw: new Uint8Array(packRaw(alert.raw)) }));
  return { alerts, issues, hasSyntaxErrors, stoppedEarly };
}
