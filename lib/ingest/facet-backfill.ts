import 'server-only';
// Gives the alerts stored before migration 0015 their facet tokens in the background: a small batch
// at a time, the event loop free between batches, so ingest and pages never wait long on it.
import type { Db } from '../db/connection';
import { addMissingFacets, alertsWithoutFacets, facetsReady, mergeWordIndex } from '../db/facets';
import { withoutPrivateUse } from '../falco/alert';
import { prepareEntries } from './prepare';
import { parseEntry } from './split-body';

const BATCH = 100;
// A full store (PERCH_MAX_STORE_SIZE) or a busy one: tried again after retention has run.
const RETRY_MS = 60_000;

/** An alert's words as the writer indexes them, from its stored JSON; the JSON's own words if it no longer passes. */
export function storedSearchText(raw: string): string {
  const { valid } = prepareEntries([parseEntry(raw, {})], { nowMs: 0, maxClockSkewMs: Number.MAX_SAFE_INTEGER });
  return valid[0]?.alert.searchText ?? withoutPrivateUse(raw.toLowerCase());
}

/** Starts giving every stored alert without facet tokens its own, then merging the word index; returns at once. */
export function startFacetBackfill(db: Db): void {
  if (facetsReady(db)) return;
  console.log(
    `[perch] indexing the filters of ${alertsWithoutFacets(db)} stored alert(s) for free text, in the background`,
  );
  const started = performance.now();
  let merging = false;
  const step = () => {
    try {
      if (!merging && addMissingFacets(db, storedSearchText, BATCH) > 0) {
        setImmediate(step);
        return;
      }
      merging = true;
      if (mergeWordIndex(db)) {
        setImmediate(step);
        return;
      }
      console.log(
        `[perch] filters of the stored alerts indexed in ${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'SQLITE_FULL' || code === 'SQLITE_BUSY') setTimeout(step, RETRY_MS).unref();
      else if (code === 'SQLITE_READONLY')
        console.warn(
          '[perch] the store is read-only: searches with filters test each alert until it is writable and Perch restarted',
        );
      else console.error('[perch] indexing the filters of stored alerts failed:', error);
    }
  };
  setImmediate(step);
}
