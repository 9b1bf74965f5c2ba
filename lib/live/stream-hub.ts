import 'server-only';
// The live stream's one reader of new alerts. Whatever the number of open pages, each look at
// the store runs one query per distinct filter, and the encoded message is shared by every page
// with that filter. Slow pages are dropped instead of growing the server's memory.
import type { EventSummary } from '../events/types';
import { getDb } from '../db/connection';
import { eventsInIdRange, newestEventId } from '../db/live-queries';
import { stringifyJson } from '../falco/json';
import type { EventFilter } from '../filters/event-filter';
import { HEARTBEAT_MS, type StreamMessage } from './stream-messages';

/** Where one open stream's messages go. `send` returns false when the client must be dropped. */
export interface StreamSink {
  send(text: string): boolean;
  /** `too-slow`: dropped for falling behind; `access-ended`: its viewer may no longer read. */
  close(reason: StreamCloseReason): void;
}

export type StreamCloseReason = 'too-slow' | 'access-ended';

export interface SubscribeOptions {
  /** Who opened the stream (its address), for the per-client cap; null when unknown. */
  client?: string | null;
  /** Whether the stream's viewer may still read: asked every ACCESS_CHECK_MS. */
  mayRead?: () => boolean;
}

interface Subscriber {
  filter: EventFilter;
  /** The filter's query string: subscribers with the same key share one query and one message. */
  filterKey: string;
  sink: StreamSink;
  client: string | null;
  mayRead: (() => boolean) | null;
}

// A look at the store at most this often after an ingest commit: batches alerts per message.
const NOTIFY_DELAY_MS = 100;
// Catches writers in other processes (`npm run import` into the same file) without a notification.
const POLL_MS = 1_000;
// More new alerts than this for one filter in one look, or a catch-up further back than
// CATCH_UP_SPAN ids, and the client is told to reload instead (its view is out of date anyway).
const MAX_ALERTS_PER_MESSAGE = 1_000;
const CATCH_UP_SPAN = 100_000;
export const MAX_SUBSCRIBERS = 1_000;
// A logout, an expired session or a removed token ends its open streams within this long.
const ACCESS_CHECK_MS = 2_000;

export class StreamHub {
  private readonly subscribers = new Set<Subscriber>();
  private readonly perClient = new Map<string, number>();
  /** Every alert with an id up to here has been delivered to every subscriber that matches it. */
  private cursor = 0;
  private lookScheduled: ReturnType<typeof setTimeout> | null = null;
  private timers: ReturnType<typeof setInterval>[] = [];

  constructor(
    private readonly readNewestId: () => number = () => newestEventId(getDb()),
    private readonly readRange: (
      filter: EventFilter,
      afterId: number,
      upToId: number,
      limit: number,
    ) => EventSummary[] = (filter, afterId, upToId, limit) => eventsInIdRange(getDb(), filter, afterId, upToId, limit),
  ) {}

  get size(): number {
    return this.subscribers.size;
  }

  /** Open streams of one client address. */
  streamsOf(client: string): number {
    return this.perClient.get(client) ?? 0;
  }

  /**
   * Adds a client. With `afterId` (the cursor of its last message), first sends what it missed;
   * then `ready` with the current cursor. Returns the unsubscribe function.
   */
  subscribe(
    filter: EventFilter,
    filterKey: string,
    afterId: number | undefined,
    sink: StreamSink,
    { client = null, mayRead }: SubscribeOptions = {},
  ): () => void {
    if (this.subscribers.size === 0) this.start();
    this.look(); // bring the cursor up to date before catching this client up to it
    const subscriber: Subscriber = { filter, filterKey, sink, client, mayRead: mayRead ?? null };
    this.subscribers.add(subscriber);
    if (client !== null) this.perClient.set(client, this.streamsOf(client) + 1);
    if (afterId !== undefined && afterId !== this.cursor) {
      // An id ahead of the store means the store was replaced or emptied: the client starts over.
      if (afterId > this.cursor || this.cursor - afterId > CATCH_UP_SPAN) {
        this.deliver([subscriber], { type: 'reset', cursor: this.cursor });
      } else {
        this.sendRange([subscriber], afterId, this.cursor);
      }
    }
    this.deliver([subscriber], { type: 'ready', cursor: this.cursor });
    return () => this.remove(subscriber);
  }

  /** Called after every ingest commit. */
  notifyCommitted(): void {
    if (this.subscribers.size === 0 || this.lookScheduled) return;
    this.lookScheduled = setTimeout(() => {
      this.lookScheduled = null;
      this.look();
    }, NOTIFY_DELAY_MS);
  }

  /** Sends every subscriber the alerts committed since the last look. */
  look(): void {
    const newest = this.readNewestId();
    if (newest === this.cursor) return;
    const previous = this.cursor;
    this.cursor = newest;
    if (this.subscribers.size === 0) return;
    if (newest < previous) {
      this.deliver([...this.subscribers], { type: 'reset', cursor: newest });
      return;
    }
    for (const group of this.groupsByFilter()) this.sendRange(group, previous, newest);
  }

  private sendRange(group: Subscriber[], afterId: number, upToId: number) {
    const alerts = this.readRange(group[0]!.filter, afterId, upToId, MAX_ALERTS_PER_MESSAGE + 1);
    if (alerts.length > MAX_ALERTS_PER_MESSAGE) this.deliver(group, { type: 'reset', cursor: upToId });
    else if (alerts.length > 0) this.deliver(group, { type: 'alerts', cursor: upToId, alerts });
  }

  private groupsByFilter(): Subscriber[][] {
    const groups = new Map<string, Subscriber[]>();
    for (const subscriber of this.subscribers) {
      const group = groups.get(subscriber.filterKey);
      if (group) group.push(subscriber);
      else groups.set(subscriber.filterKey, [subscriber]);
    }
    return [...groups.values()];
  }

  private deliver(group: readonly Subscriber[], message: StreamMessage) {
    const text = encodeMessage(message);
    for (const subscriber of group) {
      if (!subscriber.sink.send(text)) this.drop(subscriber, 'too-slow');
    }
  }

  /** Closes the streams whose viewers may no longer read (logged out, expired, removed). */
  checkAccess(): void {
    for (const subscriber of [...this.subscribers]) {
      if (subscriber.mayRead && !this.stillAllowed(subscriber.mayRead)) this.drop(subscriber, 'access-ended');
    }
  }

  // A check that throws closes its stream (its reconnect is checked afresh) and spares the others'.
  private stillAllowed(mayRead: () => boolean): boolean {
    try {
      return mayRead();
    } catch (error) {
      console.error('[perch] live stream access check failed:', error);
      return false;
    }
  }

  private drop(subscriber: Subscriber, reason: StreamCloseReason) {
    this.remove(subscriber);
    subscriber.sink.close(reason);
  }

  private remove(subscriber: Subscriber) {
    if (!this.subscribers.delete(subscriber)) return;
    if (subscriber.client !== null) {
      const left = this.streamsOf(subscriber.client) - 1;
      if (left > 0) this.perClient.set(subscriber.client, left);
      else this.perClient.delete(subscriber.client);
    }
    if (this.subscribers.size === 0) this.stop();
  }

  private start() {
    this.cursor = this.readNewestId();
    this.timers = [
      setInterval(() => this.safely(() => this.look()), POLL_MS),
      setInterval(
        () =>
          this.safely(() =>
            this.deliver([...this.subscribers], { type: 'heartbeat', cursor: this.cursor, time: Date.now() }),
          ),
        HEARTBEAT_MS,
      ),
      setInterval(() => this.safely(() => this.checkAccess()), ACCESS_CHECK_MS),
    ];
    for (const timer of this.timers) timer.unref?.();
  }

  private stop() {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    if (this.lookScheduled) clearTimeout(this.lookScheduled);
    this.lookScheduled = null;
  }

  private safely(work: () => void) {
    try {
      work();
    } catch (error) {
      // A busy or failing store must not take the timers down; the next tick tries again.
      console.error('[perch] live stream update failed:', error);
    }
  }
}

/** One Server-Sent Events message; `id` is the cursor, so a reconnecting EventSource resumes there. */
export function encodeMessage(message: StreamMessage): string {
  const { type, ...data } = message;
  return `event: ${type}\nid: ${message.cursor}\ndata: ${stringifyJson(data)}\n\n`;
}

const holder = globalThis as typeof globalThis & { __perchStreamHub?: StreamHub };

/** The process-wide hub (one per server, shared by every route bundle). */
export function streamHub(): StreamHub {
  holder.__perchStreamHub ??= new StreamHub();
  return holder.__perchStreamHub;
}
