import 'server-only';
import { InvalidQuery } from '../errors';
import type { EventFilter } from '../filters/event-filter';
import type { Db } from './connection';
import { searchPrefix } from './filter-sql';
import { prepared } from './statements';

// A prefix (`sh*`) is answered by merging the lists of every word it begins, positions included,
// before the first match comes out, whatever the query stops at: its cost grows with those lists
// (about 0.15 ms per page of them), not with the page asked for. At a million alerts `s*` merged
// 4,900 pages in 1.1 s and `sh*` 1,300 in 0.2 s, each time a call used it; `she*` 270 in 26 ms.
// Prefix indexes would answer them at once but take about 260 bytes per alert for each length
// (docs/benchmarks.md), more than the store's budget, so a prefix whose lists are longer than this
// is refused instead. About 2 MB of the word index (FTS5 pages hold up to 4,050 bytes).
export const MAX_PREFIX_PAGES = 500;

/**
 * The leaf pages of the word index that hold the words beginning with `prefix` (lower-cased, as
 * the index stores words): an estimate from the index's own b-tree, a few lookups per segment,
 * without reading the lists. FTS5 keeps one `_idx` row per leaf page that starts a word: (segment,
 * the word's shortest distinguishing prefix behind the main index's '0', page number × 2 + a flag).
 * Counted per segment: from the first page that starts with a word of the prefix to the first
 * page starting past it, or to the segment's last page, whose `_data` rowid is (segment << 37) +
 * page. What a broad prefix costs is many words' lists, and so many pages starting with its words.
 * Counting from the last page starting below the prefix instead took in the whole list of the
 * word before it: `she*` (25 ms) came to 691 pages on a store made by `npm run import`, and was
 * refused; counted from its own first page, 416.
 * A prefix's words that begin inside another word's page are not counted: one word's list costs
 * what a search of the whole word costs, and those are always answered.
 */
export function prefixListPages(db: Db, prefix: string): number {
  const from = Buffer.from(`0${prefix}`);
  const past = Buffer.from(from);
  past[past.length - 1] = past.at(-1)! + 1; // UTF-8 has no 0xff byte: no carry
  const { pages } = prepared(db, `
    SELECT coalesce(sum(
      coalesce(
        (SELECT min(pgno) >> 1 FROM event_search_idx i WHERE i.segid = s.segid AND i.term >= @past),
        (SELECT max(id) - (s.segid << 37) + 1 FROM event_search_data WHERE id BETWEEN s.segid << 37 AND (s.segid << 37) + 2147483647)
      ) - (SELECT min(pgno) >> 1 FROM event_search_idx i WHERE i.segid = s.segid AND i.term >= @from)
    ), 0) AS pages
    FROM (SELECT DISTINCT segid FROM event_search_idx) s`).get({ from, past }) as { pages: number };
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
