import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../db/connection';
import { writeAlerts } from '../db/event-writer';
import { eventsInIdRange, newestEventId } from '../db/live-queries';
import { FalcoAlert, toStoredAlert } from '../falco/alert';
import { EventFilter, filterToSearchParams } from '../filters/event-filter';
import { encodeMessage, StreamHub, type StreamCloseReason, type StreamSink, type SubscribeOptions } from './stream-hub';
import type { StreamMessage } from './stream-messages';

// A real SQLite store (in memory) behind the hub; sinks record the SSE text they are sent.

let counter = 0;
function post(db: Db, rule: string, { hostname = 'node-1', priority = 'Warning' } = {}) {
  const value = {
    time: new Date(Date.now() - 1_000).toISOString(),
    rule,
    priority,
    source: 'syscall',
    hostname,
    output: `${rule} #${++counter}`,
    output_fields: { 'proc.name': 'cat', 'evt.time': counter },
  };
  return writeAlerts(db, [toStoredAlert(FalcoAlert.parse(value), value.output_fields, JSON.stringify(value))])[0]!.id;
}

function parseSse(text: string): StreamMessage[] {
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      const type = /^event: (.+)$/m.exec(block)![1]!;
      const data = JSON.parse(/^data: (.+)$/m.exec(block)![1]!) as object;
      expect(Number(/^id: (\d+)$/m.exec(block)![1])).toBe((data as { cursor: number }).cursor);
      return { type, ...data } as StreamMessage;
    });
}

class RecordingSink implements StreamSink {
  text = '';
  closed = false;
  closedFor: StreamCloseReason | null = null;
  constructor(private readonly accept = true) {}
  send(text: string) {
    if (!this.accept) return false;
    this.text += text;
    return true;
  }
  close(reason: StreamCloseReason) {
    this.closed = true;
    this.closedFor = reason;
  }
  get messages() {
    return parseSse(this.text);
  }
  /** Rules of every alert received, in order. */
  get rules() {
    return this.messages.flatMap((m) => (m.type === 'alerts' ? m.alerts.map((a) => a.rule) : []));
  }
}

const filterOf = (input: Record<string, unknown>) => EventFilter.parse(input);
const keyOf = (filter: EventFilter) => filterToSearchParams(filter).toString();

describe('StreamHub', () => {
  const db = openDatabase(':memory:');
  const hub = new StreamHub(
    () => newestEventId(db),
    (filter, after, upTo, limit) => eventsInIdRange(db, filter, after, upTo, limit),
  );
  const unsubscribers: (() => void)[] = [];
  const subscribe = (
    input: Record<string, unknown>,
    after: number | undefined,
    sink: StreamSink,
    options?: SubscribeOptions,
  ) => {
    const filter = filterOf(input);
    unsubscribers.push(hub.subscribe(filter, keyOf(filter), after, sink, options));
  };
  afterEach(() => {
    for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
    expect(hub.size).toBe(0);
  });

  it('says ready with the current cursor, then sends each new matching alert once, in commit order', () => {
    post(db, 'Before anyone listened');
    const all = new RecordingSink();
    const onlyHostB = new RecordingSink();
    subscribe({ from: '1h' }, undefined, all);
    subscribe({ from: '1h', hostname: ['node-b'] }, undefined, onlyHostB);
    expect(all.messages).toEqual([{ type: 'ready', cursor: newestEventId(db) }]);

    post(db, 'First');
    post(db, 'Second', { hostname: 'node-b' });
    hub.look();
    post(db, 'Third');
    hub.look();
    hub.look(); // nothing new: nothing sent

    expect(all.rules).toEqual(['First', 'Second', 'Third']);
    expect(onlyHostB.rules).toEqual(['Second']);
    expect(all.messages.at(-1)!.cursor).toBe(newestEventId(db));
  });

  it('catches a reconnecting client up from its cursor, without gaps or repeats', () => {
    const first = new RecordingSink();
    subscribe({}, undefined, first);
    post(db, 'Seen live');
    hub.look();
    const cursor = first.messages.at(-1)!.cursor;
    unsubscribers.pop()!();

    post(db, 'Missed while away 1');
    post(db, 'Missed while away 2', { hostname: 'elsewhere' });
    const again = new RecordingSink();
    subscribe({ hostname: ['node-1'] }, cursor, again);
    post(db, 'After reconnecting');
    hub.look();

    expect(again.rules).toEqual(['Missed while away 1', 'After reconnecting']);
    expect(again.messages.map((m) => m.type)).toEqual(['alerts', 'ready', 'alerts']);
  });

  it('tells a client to reload when its cursor is unknown to the store', () => {
    const sink = new RecordingSink();
    subscribe({}, newestEventId(db) + 50, sink);
    expect(sink.messages.map((m) => m.type)).toEqual(['reset', 'ready']);
  });

  it('sends a reset instead of an oversized message when more than a thousand alerts arrive at once', () => {
    const sink = new RecordingSink();
    subscribe({ rule: ['Flood'] }, undefined, sink);
    for (let i = 0; i < 1_001; i++) post(db, 'Flood');
    hub.look();
    expect(sink.messages.map((m) => m.type)).toEqual(['ready', 'reset']);
    expect(sink.messages.at(-1)!.cursor).toBe(newestEventId(db));
  });

  it('drops a client that cannot keep up and goes on serving the others', () => {
    const slow = new RecordingSink(false);
    const fine = new RecordingSink();
    subscribe({}, undefined, slow);
    subscribe({}, undefined, fine);
    expect(slow.closedFor).toBe('too-slow');
    expect(hub.size).toBe(1);
    post(db, 'Still delivered');
    hub.look();
    expect(fine.rules).toEqual(['Still delivered']);
  });

  it('closes the streams whose viewers may no longer read, and only those', () => {
    let sessionValid = true;
    const loggedOut = new RecordingSink();
    const wall = new RecordingSink();
    const open = new RecordingSink();
    subscribe({}, undefined, loggedOut, { mayRead: () => sessionValid });
    subscribe({}, undefined, wall, { mayRead: () => true });
    subscribe({}, undefined, open);
    const failing = new RecordingSink();
    subscribe({}, undefined, failing, {
      mayRead: () => {
        throw new Error('config gone');
      },
    });
    hub.checkAccess();
    expect(failing.closedFor).toBe('access-ended');
    expect([loggedOut.closed, wall.closed, open.closed]).toEqual([false, false, false]);

    sessionValid = false;
    hub.checkAccess();
    expect(loggedOut.closedFor).toBe('access-ended');
    expect(hub.size).toBe(2);
    post(db, 'After the logout');
    hub.look();
    expect(loggedOut.rules).toEqual([]);
    expect(wall.rules).toEqual(['After the logout']);
  });

  it('counts the open streams of each client address, freeing a slot when one closes', () => {
    const sinks = [new RecordingSink(), new RecordingSink(), new RecordingSink(false)];
    subscribe({}, undefined, sinks[0]!, { client: '10.0.0.1' });
    subscribe({ rule: ['Other'] }, undefined, sinks[1]!, { client: '10.0.0.1' });
    subscribe({}, undefined, new RecordingSink(), { client: '10.0.0.2' });
    subscribe({}, undefined, new RecordingSink());
    expect([hub.streamsOf('10.0.0.1'), hub.streamsOf('10.0.0.2'), hub.streamsOf('10.0.0.3')]).toEqual([2, 1, 0]);
    unsubscribers.shift()!();
    expect(hub.streamsOf('10.0.0.1')).toBe(1);
    // A client dropped by the hub (too slow) frees its slot too.
    subscribe({}, undefined, sinks[2]!, { client: '10.0.0.1' });
    expect(sinks[2]!.closed).toBe(true);
    expect(hub.streamsOf('10.0.0.1')).toBe(1);
  });
});

describe('encodeMessage', () => {
  it('writes one SSE message whose id is the cursor and whose data stays on one line', () => {
    const text = encodeMessage({ type: 'heartbeat', cursor: 42, time: 1 });
    expect(text).toBe('event: heartbeat\nid: 42\ndata: {"cursor":42,"time":1}\n\n');
  });
});
