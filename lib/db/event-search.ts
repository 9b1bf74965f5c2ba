import 'server-only';
import { InvalidQuery } from '../errors';
import type { EventFilter } from '../filters/event-filter';
import type { Db } from './connection';
import { searchPrefix } from './filter-sql';
import { prepared } from './statements';

// FTS5 merges the lists of every word a prefix begins before the first match comes out, whatever
// the query stops at, so its cost grows with those lists; prefix indexes would cost more space than
// the store's budget, so a prefix with longer lists than this is refused (docs/decisions/0017).
export const MAX_PREFIX_PAGES = 500;

/**
 * An estimate of the word index's leaf pages holding words that begin with `prefix` (lower-cased),
 * from FTS5's own `_idx` b-tree: a few lookups per segment, without reading the lists. The layout it
 * relies on, and why counting starts at the prefix's own first page: docs/decisions/0017.
 */
export function prefixListPages(db: Db, prefix: string): number {
  const from = Buffer.from(`0${prefix}`);
  const past = Buffer.from(from);
  past[past.length - 1] = past.at(-1)! + 1; // UTF-8 has no 0xff byte: no carry
  const { pages } = prepared(
    db,
    `
    SELECT coalesce(sum(
      coalesce(
        (SELECT min(pgno) >> 1 FROM event_search_idx i WHERE i.segid = s.segid AND i.term >= @past),
        (SELECT max(id) - (s.segid << 37) + 1 FROM event_search_data WHERE id BETWEEN s.segid << 37 AND (s.segid << 37) + 2147483647)
      ) - (SELECT min(pgno) >> 1 FROM event_search_idx i WHERE i.segid = s.segid AND i.term >= @from)
    ), 0) AS pages
    FROM (SELECT DISTINCT segid FROM event_search_idx) s`,
  ).get({ from, past }) as { pages: number };
  return pages;
}

export const tooManyWordsMessage = (prefix: string) =>
  `Too many words begin with "${prefix}" to search them all quickly: type more of the word before the *, or the whole word.`;

/** Refuses (InvalidQuery) a search whose prefix would take too long to answer (see MAX_PREFIX_PAGES). */
export function assertSearchAnswerable(db: Db, filter: EventFilter): void {
  const prefix = searchPrefix(filter);
  if (prefix === undefined || prefixListPages(db, prefix) <= MAX_PREFIX_PAGES) return;
  const message = tooManyWordsMessage(prefix);
  throw new InvalidQuery(message, [{ field: 'q', code: 'too_many_words', message }]);
}
