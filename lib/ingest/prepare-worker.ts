// `npm run import`'s second thread: turns batches of NDJSON lines into alerts ready to write
// (parse, validate, normalise, deflate), so that the main thread only writes. The two run at once
// on two cores; in one thread the import spent most of its time here, not in SQLite.
import { parentPort } from 'node:worker_threads';
import type { ErrorIssue } from '../api/errors';
import { packRaw } from '../db/raw-json';
import type { WritableAlert } from '../db/event-writer';
import { prepareEntries } from './prepare';
import { parseEntry, type BodyEntry } from './split-body';

/** Lines of an NDJSON file with their line numbers, each a single JSON object's text. */
export type NumberedLines = readonly (readonly [line: number, text: string])[];

export interface PreparedLines {
  /** Raw JSON already deflated (packedRaw); `raw` is left empty so it is not copied back. */
  alerts: WritableAlert[];
  issues: ErrorIssue[];
}

export function prepareLines(lines: NumberedLines): PreparedLines {
  const entries: BodyEntry[] = [];
  // Each text is a trimmed line that starts with `{`: what splitBody would make one entry of.
  for (const [line, text] of lines) entries.push(parseEntry(text, { line }));
  const { valid, issues } = prepareEntries(entries);
  return { alerts: valid.map(({ alert }) => ({ ...alert, raw: '', packedRaw: packRaw(alert.raw) })), issues };
}

parentPort?.on('message', (lines: NumberedLines) => parentPort!.postMessage(prepareLines(lines)));
