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

/** Text chunks of the export, one page of alerts each. */
export async function* exportChunks(db: Db, filter: EventFilter, format: ExportFormat, nowMs = Date.now()): AsyncGenerator<string> {
  let cursor: string | undefined;
  let first = true;
  if (format === 'csv') yield csvHeader();
  if (format === 'json') yield '[';
  do {
    if (format === 'ndjson') {
      // The raw alerts exactly as received: re-importable with `npm run import`.
      const page = rawEventsPage(db, filter, { cursor, limit: PAGE }, nowMs);
      if (page.raws.length > 0) yield `${page.raws.join('\n')}\n`;
      cursor = page.nextCursor ?? undefined;
    } else {
      const page = listEvents(db, filter, { cursor, limit: PAGE }, nowMs);
      if (format === 'csv') yield page.events.map(csvRow).join('');
      else if (page.events.length > 0) {
        yield `${first ? '\n' : ',\n'}${page.events.map((event) => stringifyJson(event)).join(',\n')}`;
        first = false;
      }
      cursor = page.nextCursor ?? undefined;
    }
    // Let other requests in between pages.
    await new Promise((resolve) => setImmediate(resolve));
  } while (cursor !== undefined);
  if (format === 'json') yield '\n]\n';
}
