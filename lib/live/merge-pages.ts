// Putting streamed alerts into an already loaded newest-first list, each where a reload would put
// it: ordered by (time, id) like the API's keyset pages, never twice.
import type { EventListResponse, EventSummary } from '../events/types';

/** Newest first: Falco time (fixed-width UTC text sorts as time), then id. */
export function newerFirst(a: EventSummary, b: EventSummary): number {
  if (a.time !== b.time) return a.time > b.time ? -1 : 1;
  return b.id - a.id;
}

/**
 * The pages with `alerts` inserted in order. An alert older than everything loaded is left for
 * the next page fetch to bring, unless the list has no further page.
 */
export function insertIntoPages(
  pages: readonly EventListResponse[],
  alerts: readonly EventSummary[],
): EventListResponse[] {
  const loaded = new Set(pages.flatMap((page) => page.events.map((event) => event.id)));
  const fresh = alerts.filter((alert) => !loaded.has(alert.id));
  if (fresh.length === 0 || pages.length === 0) return [...pages];
  const result = pages.map((page) => ({ ...page, events: [...page.events] }));
  for (const alert of fresh) {
    const target = result.find((page, i) => {
      const oldest = page.events.at(-1);
      const isLast = i === result.length - 1;
      return oldest === undefined ? isLast : newerFirst(alert, oldest) < 0 || (isLast && page.nextCursor === null);
    });
    if (!target) continue;
    const at = target.events.findIndex((event) => newerFirst(alert, event) < 0);
    target.events.splice(at === -1 ? target.events.length : at, 0, alert);
  }
  return result;
}
