import 'server-only';
// A request body turned into alerts ready to write, on this thread. A large NDJSON body is not
// prepared here when the worker is at hand: it is written while the worker prepares it
// (write-while-preparing.ts, decision 0032).
import type { ErrorIssue } from '../errors';
import type { WritableAlert } from '../db/event-writer';
import { prepareEntries } from './prepare';
import { prepareLines } from './prepare-lines';
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

/**
 * Parses, validates and normalises a body (one alert, a JSON array, or NDJSON); `stopAfterIssues`
 * as prepareEntries; `lines`: the body's batchLines, when the caller has them already.
 */
export function prepareBody(
  text: string,
  { stopAfterIssues = Number.POSITIVE_INFINITY } = {},
  lines: NumberedLines | null = batchLines(text),
): PreparedBody {
  if (lines === null) {
    const { entries } = splitBody(text);
    const { valid, ...rest } = prepareEntries(entries, { stopAfterIssues });
    const isBatch = entries.length > 1 || 'index' in (entries[0]?.position ?? {});
    return { alerts: valid.map((entry) => entry.alert), ...rest, entryCount: entries.length, isBatch };
  }
  return { ...prepareLines(lines, { stopAfterIssues }), entryCount: lines.length, isBatch: true };
}
