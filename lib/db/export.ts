import 'server-only';
// Export of every alert a filter selects, with no cap: read in keyset pages of 1,000 so memory stays
// flat and the connection is free between pages (better-sqlite3 iterators would hold it).
import { csvHeader, csvRow } from '../events/csv';
import { stringifyJson } from '../falco/json';
import type { EventFilter } from '../filters/event-filter';
import type { Db } from './connection';
import { listEvents, rawEventsPage } from './event-queries';

export const EXPORT_FORMATS = {
  csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv' },
  ndjson: { contentType: 'application/x-ndjson; charset=utf-8', extension: 'ndjson' },
  json: { contentType: 'application/json; charset=utf-8', extension: 'json' },
} as const;
export type ExportFormat = keyof typeof EXPORT_FORMATS;

const PAGE = 1_000;

// A pretty-printed alert keeps its line breaks in the raw text, and a nested object on a line of
// its own would read back as an alert of its own. JSON strings cannot hold a raw CR or LF, so each
// one (and the indentation after it) is whitespace between tokens: dropping them changes no value.
const LINE_BREAKS = /[\r\n][\r\n \t]*/g;

/** The raw alert on one line, every value (big integers included) exactly as received. */
export const ndjsonLine = (raw: string): string =>
  // Most alerts arrive on one line already: looking for a break first is some 20 times cheaper.
  raw.indexOf('\n') < 0 && raw.indexOf('\r') < 0 ? raw : raw.replace(LINE_BREAKS, '');

export interface ExportPage {
  /** The page's alerts as export text (nothing when the page is empty). */
  text: string;
  nextCursor: string | null;
}

/**
 * One page of the export as text. `started`: a JSON export has written an alert already, so this
 * page's first one follows a comma. Run on a reader thread (lib/db/reads.ts) by the server.
 */
export function exportPage(
  db: Db,
  filter: EventFilter,
  format: ExportFormat,
  cursor: string | undefined,
  started: boolean,
  nowMs: number,
): ExportPage {
  const page = { cursor, limit: PAGE };
  if (format === 'ndjson') {
    // The raw alerts as received, one per line: re-importable with `npm run import`.
    const { raws, nextCursor } = rawEventsPage(db, filter, page, nowMs);
    return { text: raws.length > 0 ? `${raws.map(ndjsonLine).join('\n')}\n` : '', nextCursor };
  }
  const { events, nextCursor } = listEvents(db, filter, page, nowMs);
  if (format === 'csv') return { text: events.map(csvRow).join(''), nextCursor };
  return {
    text:
      events.length > 0 ? `${started ? ',\n' : '\n'}${events.map((event) => stringifyJson(event)).join(',\n')}` : '',
    nextCursor,
  };
}

export type ExportPageReader = (cursor: string | undefined, started: boolean) => Promise<ExportPage> | ExportPage;

/** Text chunks of the export, one page of alerts each, as `readPage` reads them. */
export async function* exportChunks(format: ExportFormat, readPage: ExportPageReader): AsyncGenerator<string> {
  let cursor: string | undefined;
  let started = false;
  if (format === 'csv') yield csvHeader();
  if (format === 'json') yield '[';
  do {
    const page = await readPage(cursor, started);
    if (page.text !== '') {
      yield page.text;
      started = true;
    }
    cursor = page.nextCursor ?? undefined;
    // Let other requests in between pages.
    await new Promise((resolve) => setImmediate(resolve));
  } while (cursor !== undefined);
  if (format === 'json') yield '\n]\n';
}

/** The export's pages read on this thread, from `db`. */
export const pagesOf =
  (db: Db, filter: EventFilter, format: ExportFormat, nowMs = Date.now()): ExportPageReader =>
  (cursor, started) =>
    exportPage(db, filter, format, cursor, started, nowMs);
