// One live page's refresh. The page's counts, charts and lists are refetched together and written
// in one batch, so they reach the screen in one render; a new alert enters a list only once every
// count on the page includes it (answers carry the newest alert id they include, lib/api/fetch-json.ts).
import { notifyManager, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { FetchError, fetchJson, newestIdIn, withNewestId } from '../api/fetch-json';
import type { EventListResponse, EventSummary } from '../events/types';
import { eventKeys } from '../queries/events';
import { statsKeys } from '../queries/stats';
import { Coalescer } from './coalescer';

// A flood of alerts refreshes a page at most this often, not once per alert.
const REFRESH_GAP_MS = 2_000;
// Alerts waiting for a refresh that cannot be read: beyond this many, the lists reload instead.
const HELD_MAX = 5_000;

/** counts: aggregates (counters, charts, top lists); list: the newest N alerts; pages: keyset pages. */
export type LiveKind = 'counts' | 'list' | 'pages';

const [EVENTS, LIST] = eventKeys.list('');
const [, PAGES] = eventKeys.pages('');
const [, PRIORITY_COUNTS] = eventKeys.priorityCounts('');
const [STATS] = statsKeys.all;
const [HEALTH] = eventKeys.health();
const [, RELATED] = statsKeys.related(0);

/** What a query of a live page shows, by its key; null for queries the live refresh leaves alone. */
export function liveKind(queryKey: QueryKey): LiveKind | null {
  const [root, part] = queryKey;
  if (root === STATS) return part === RELATED ? null : 'counts';
  if (root === HEALTH) return 'counts';
  if (root !== EVENTS) return null;
  return part === LIST ? 'list' : part === PAGES ? 'pages' : part === PRIORITY_COUNTS ? 'counts' : null;
}

/**
 * The id up to which every count on the page includes every alert: the least newest id of their
 * answers. Counts in error show no number and do not hold the lists back. A count still loading may
 * answer from before a new alert: `hold` gives -Infinity then, `ignore` leaves it out.
 */
export function countedUpTo(client: QueryClient, whileLoading: 'hold' | 'ignore' = 'hold'): number {
  let upTo = Infinity;
  for (const query of client.getQueryCache().findAll({ type: 'active' })) {
    if (liveKind(query.queryKey) !== 'counts' || query.state.status === 'error') continue;
    if (query.state.data === undefined) {
      if (whileLoading === 'hold') return -Infinity;
      continue;
    }
    upTo = Math.min(upTo, newestIdIn(query.state.data) ?? Infinity);
  }
  return upTo;
}

/** A list answer without the alerts the counts do not include yet (they come with the next refresh). */
export function keepCounted(answer: EventListResponse, upTo: number): EventListResponse {
  const events = answer.events.filter((event) => event.id <= upTo);
  if (events.length === answer.events.length) return answer;
  const newest = newestIdIn(answer);
  return withNewestId({ ...answer, events }, newest === undefined ? undefined : Math.min(newest, upTo));
}

export interface PageSyncTarget {
  /** Alerts every count on the page now includes; called within the batch that wrote those counts. */
  onAlerts(alerts: EventSummary[]): void;
  /** The lists' first pages were reloaded (within the same batch). */
  onResync(): void;
}

export class PageSync {
  private held: EventSummary[] = [];
  private resyncDue = false;
  private readonly abort = new AbortController();
  private readonly coalescer: Coalescer;

  constructor(
    private readonly client: QueryClient,
    private readonly target: PageSyncTarget,
    gapMs = REFRESH_GAP_MS,
  ) {
    this.coalescer = new Coalescer(() => this.sync(), gapMs);
  }

  /** Alerts from the stream: shown at once if the counts already include them, else with the refresh they call for. */
  receive(alerts: EventSummary[]): void {
    this.held.push(...alerts);
    if (this.held.length > HELD_MAX) {
      this.held = [];
      this.resyncDue = true;
    }
    this.release(countedUpTo(this.client));
    if (this.held.length > 0 || this.resyncDue) this.coalescer.request();
  }

  /** The page may be out of date as a whole (a reconnect, more alerts than the stream sends one by one). */
  resync(): void {
    this.resyncDue = true;
    this.coalescer.request();
  }

  /** Counts may have moved without a new alert (a relative range moving along, a tab shown again). */
  refresh(): void {
    this.coalescer.request();
  }

  /** On the stream's first `ready`: answers read before it may lack alerts committed in between. */
  catchUp(cursor: number): void {
    let behind = false;
    for (const query of this.client.getQueryCache().findAll({ type: 'active' })) {
      const kind = liveKind(query.queryKey);
      if (kind === null || query.state.status !== 'success' || query.state.fetchStatus !== 'idle') continue;
      // Keyset pages: their first page is the answer that says what it holds.
      const answer =
        kind === 'pages' ? (query.state.data as { pages?: unknown[] } | undefined)?.pages?.[0] : query.state.data;
      if ((newestIdIn(answer) ?? -1) >= cursor) continue;
      behind = true;
      if (kind === 'pages') this.resyncDue = true;
    }
    if (behind) this.coalescer.request();
  }

  dispose(): void {
    this.abort.abort();
    this.coalescer.dispose();
  }

  private release(upTo: number): void {
    const ready = this.held.filter((alert) => alert.id <= upTo);
    if (ready.length === 0) return;
    this.held = this.held.filter((alert) => alert.id > upTo);
    notifyManager.batch(() => this.target.onAlerts(ready));
  }

  private async sync(): Promise<void> {
    const resync = this.resyncDue;
    this.resyncDue = false;
    const startedAt = Date.now();
    // What the page shows now. Queries still loading are left to finish on their own.
    const parts = this.client
      .getQueryCache()
      .findAll({ type: 'active' })
      .flatMap((query) => {
        const kind = liveKind(query.queryKey);
        const url = query.meta?.url;
        if (kind === null || (kind === 'pages' && !resync) || typeof url !== 'string' || query.state.data === undefined)
          return [];
        return [{ query, kind, url }];
      });
    const answers = await Promise.allSettled(
      parts.map(({ url }) => fetchJson<unknown>(url, { signal: this.abort.signal })),
    );
    if (this.abort.signal.aborted) return;

    let trimmed = false;
    notifyManager.batch(() => {
      const fetched = parts.flatMap((part, i) => {
        const answer = answers[i]!;
        return answer.status === 'fulfilled' ? [{ ...part, data: answer.value }] : [];
      });
      // An answer react-query got meanwhile on its own is newer: keep it (the gate below reads the cache).
      const write = (key: QueryKey, data: unknown, always = false) => {
        const query = this.client.getQueryCache().find({ queryKey: key, exact: true });
        if (query && (always || query.state.dataUpdatedAt <= startedAt)) this.client.setQueryData(key, data);
      };
      for (const { query, kind, data } of fetched) if (kind === 'counts') write(query.queryKey, data);
      // The lists take what the counts on screen include; a count still loading has no number yet.
      const upTo = countedUpTo(this.client, 'ignore');
      for (const { query, kind, data } of fetched) {
        if (kind === 'counts') continue;
        const list = keepCounted(data as EventListResponse, upTo);
        trimmed ||= list !== data;
        if (kind === 'list') write(query.queryKey, list);
        else write(query.queryKey, { pages: [list], pageParams: [''] }, true); // eventPagesOptions' first page
      }
      if (resync) this.target.onResync();
      this.release(countedUpTo(this.client));
    });

    let lost = false;
    answers.forEach((answer, i) => {
      if (answer.status === 'fulfilled') return;
      // An error the server gave goes the ordinary way, so the panel shows it (or a 401 sends to login).
      if (answer.reason instanceof FetchError)
        void this.client.invalidateQueries({ queryKey: parts[i]!.query.queryKey, exact: true });
      else if (parts[i]!.kind === 'pages') lost = true;
    });
    if (lost) this.resyncDue = true;
    if (trimmed || this.held.length > 0 || this.resyncDue) this.coalescer.request();
  }
}
