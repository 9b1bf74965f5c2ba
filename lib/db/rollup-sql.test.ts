import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FalcoAlert, toStoredAlert, type StoredAlert } from '../falco/alert';
import { DIMENSION_NAMES } from '../filters/dimensions';
import { EventFilter } from '../filters/event-filter';
import { openDatabase, type Db } from './connection';
import { countByPriority } from './event-queries';
import { writeAlerts } from './event-writer';
import { pruneBatch, pruneQuarterCounts } from './retention';
import { eventRows, priorityRows, processNameRows, tagRows } from './rollup-sql';
import { containerRows } from './containers';
import { rangeSummary } from './range-summary';
import { ruleRows } from './rules';
import { timeline } from './timeline';
import { topValues } from './top-values';

// Every aggregate the counts serve must answer exactly as it does from `events` alone. Random
// alerts over a few days, starting and ending mid-hour, are compared on many filters and ranges,
// before and after retention deletes part of the oldest hour.

const NS_PER_MS = 1_000_000n;
const HOUR = 3_600_000;
const QUARTER = HOUR / 4;
const START = Date.UTC(2026, 2, 1, 7, 17, 23); // mid-hour, mid-12h
const SPAN_HOURS = 60;
const NOW = START + SPAN_HOURS * HOUR + 1_234;

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const isoNs = (ns: bigint) =>
  `${new Date(Number(ns / NS_PER_MS)).toISOString().slice(0, 19)}.${(ns % 1_000_000_000n).toString().padStart(9, '0')}Z`;
const msNs = (ms: number) => BigInt(ms) * NS_PER_MS;

// Kinds of alerts: fixed sources, hosts, containers and users (missing, empty, shared names), so
// that an hour holds several alerts of a kind and deletes leave partly emptied rows behind.
const CONTAINERS = {
  web1: {
    'container.id': 'aaaaaaaaaaa1',
    'container.name': 'web',
    'container.image.repository': 'nginx',
    'container.image.tag': '1.25',
    'k8s.ns.name': 'prod',
    'k8s.pod.name': 'web-1',
  },
  // Shares the name: a `container` filter by name selects both.
  web2: {
    'container.id': 'aaaaaaaaaaa2',
    'container.name': 'web',
    'container.image.repository': 'nginx',
    'container.image.tag': '1.26',
    'k8s.ns.name': 'prod',
    'k8s.pod.name': 'web-2',
  },
  db: {
    'container.id': 'bbbbbbbbbbb1',
    'container.name': 'db',
    'container.image.repository': 'postgres',
    'k8s.ns.name': 'data',
  },
  host: {
    'container.id': 'host',
    'container.name': 'host',
    'container.image.repository': '',
    'container.image.tag': '',
  },
  none: {},
};
interface Kind {
  rule: string;
  priorities: readonly string[];
  source?: string;
  hostname?: string;
  container: Record<string, string>;
  user?: string;
}
const KINDS: Kind[] = [
  {
    rule: 'Terminal shell in container',
    priorities: ['Notice', 'Warning'],
    source: 'syscall',
    hostname: 'node-a',
    container: CONTAINERS.web1,
    user: 'root',
  },
  {
    rule: 'Terminal shell in container',
    priorities: ['Notice'],
    source: 'syscall',
    hostname: 'node-b',
    container: CONTAINERS.web2,
    user: 'root',
  },
  {
    rule: 'Read sensitive file untrusted',
    priorities: ['Warning', 'Critical'],
    source: 'syscall',
    hostname: 'node-a',
    container: CONTAINERS.host,
    user: 'root',
  },
  {
    rule: 'Read sensitive file untrusted',
    priorities: ['Warning'],
    source: 'syscall',
    hostname: 'node-b',
    container: CONTAINERS.host,
  },
  {
    rule: 'Drop and execute new binary',
    priorities: ['Critical', 'Emergency'],
    source: 'syscall',
    hostname: 'node-b',
    container: CONTAINERS.db,
    user: 'postgres',
  },
  {
    rule: 'Disallowed K8s User',
    priorities: ['Warning', 'Error'],
    source: 'k8s_audit',
    hostname: '',
    container: CONTAINERS.none,
    user: 'system:anonymous',
  },
  { rule: 'Clear Log Activities', priorities: ['Informational', 'Debug', 'Alert'], container: CONTAINERS.db },
  {
    rule: 'Clear Log Activities',
    priorities: ['Notice'],
    source: '',
    hostname: 'node-a',
    container: CONTAINERS.none,
    user: 'nobody',
  },
  {
    rule: 'Falco internal: syscall event drop',
    priorities: ['Debug'],
    source: 'internal',
    hostname: 'node-a',
    container: CONTAINERS.none,
  },
];
const PROCESSES = ['bash', 'sh', 'sudo', 'cat', 'containerd-shim', 'systemd', '<NA>'];
const TAGS = [
  'T1059',
  'T1059.004',
  'T1555',
  'mitre_execution',
  'mitre_credential_access',
  'TA0002',
  'container',
  'host',
  'shell',
];

function randomAlerts(count: number, seed: number): StoredAlert[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const spanNs = msNs(SPAN_HOURS * HOUR) - 1n;
  let timeNs = msNs(START);
  let kind = KINDS[0]!;
  return Array.from({ length: count }, (_, i) => {
    // Some alerts are of the same kind and time as the one before: ties for first_ns and last_ns.
    if (i === 0 || next() >= 0.05) {
      timeNs = msNs(START) + (BigInt(Math.floor(next() * 2 ** 32)) * spanNs) / 2n ** 32n;
      kind = pick(KINDS);
    }
    const fields: Record<string, unknown> = { ...kind.container };
    if (kind.user !== undefined) fields['user.name'] = kind.user;
    const depth = Math.floor(next() * 6);
    for (let level = 0; level < depth; level++) {
      fields[level === 0 ? 'proc.name' : level === 1 ? 'proc.pname' : `proc.aname[${level}]`] = pick(PROCESSES);
    }
    const value = {
      time: isoNs(timeNs),
      rule: kind.rule,
      priority: pick(kind.priorities),
      source: kind.source,
      hostname: kind.hostname,
      uuid: next() < 0.5 ? `uuid-${seed}-${i}` : undefined,
      output: `alert ${i}`,
      tags: TAGS.filter(() => next() < 0.3),
      output_fields: fields,
    };
    return toStoredAlert(FalcoAlert.parse(value), fields, JSON.stringify(value));
  });
}

/** The counts as recomputed from the alerts now stored, in the tables' own terms. */
const RECOMPUTED: Record<string, string> = {
  event_counts_15m: `SELECT time_ns / 900000000000 AS quarter, internal, priority_rank, rule, coalesce(source, x'') AS source,
      coalesce(hostname, x'') AS hostname, coalesce(container_id, x'') AS container_id, coalesce(container_name, x'') AS container_name,
      coalesce(image_repository, x'') AS image_repository, coalesce(image_tag, x'') AS image_tag, coalesce(k8s_ns, x'') AS k8s_ns,
      coalesce(k8s_pod, x'') AS k8s_pod, coalesce(user_name, x'') AS user_name, count(*) AS alerts, min(time_ns) AS first_ns, max(time_ns) AS last_ns
    FROM events WHERE time_ns / 900000000000 >= (SELECT quarter FROM event_counts_15m_horizon) GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13`,
  event_counts_1h: `SELECT time_ns / 3600000000000 AS hour, internal, priority_rank, rule, coalesce(source, x'') AS source,
      coalesce(hostname, x'') AS hostname, coalesce(container_id, x'') AS container_id, coalesce(container_name, x'') AS container_name,
      coalesce(image_repository, x'') AS image_repository, coalesce(image_tag, x'') AS image_tag, coalesce(k8s_ns, x'') AS k8s_ns,
      coalesce(k8s_pod, x'') AS k8s_pod, coalesce(user_name, x'') AS user_name, count(*) AS alerts, min(time_ns) AS first_ns, max(time_ns) AS last_ns
    FROM events GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13`,
  event_counts_12h: `SELECT time_ns / 43200000000000 AS half_day, internal, priority_rank, rule, coalesce(source, x'') AS source,
      coalesce(hostname, x'') AS hostname, coalesce(container_id, x'') AS container_id, coalesce(container_name, x'') AS container_name,
      coalesce(image_repository, x'') AS image_repository, coalesce(image_tag, x'') AS image_tag, coalesce(k8s_ns, x'') AS k8s_ns,
      coalesce(k8s_pod, x'') AS k8s_pod, coalesce(user_name, x'') AS user_name, count(*) AS alerts, min(time_ns) AS first_ns, max(time_ns) AS last_ns
    FROM events GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13`,
  tag_counts_1h: `SELECT e.time_ns / 3600000000000 AS hour, e.internal, e.priority_rank, t.tag, count(*) AS alerts
    FROM event_tags t JOIN events e ON e.id = t.event_id GROUP BY 1, 2, 3, 4`,
  process_counts_1h: `SELECT e.time_ns / 3600000000000 AS hour, e.internal, e.priority_rank, p.name, count(DISTINCT e.id) AS alerts
    FROM event_processes p JOIN events e ON e.id = p.event_id WHERE p.name IS NOT NULL GROUP BY 1, 2, 3, 4`,
  priority_counts_15m:
    'SELECT time_ns / 900000000000 AS quarter, internal, priority_rank, count(*) AS alerts FROM events GROUP BY 1, 2, 3',
  dimension_counts_12h: `SELECT k.dimension, e.time_ns / 43200000000000 AS half_day, k.value, k.detail, e.internal, e.priority_rank, count(*) AS alerts
    FROM event_dimension_keys k JOIN events e ON e.id = k.event_id GROUP BY 1, 2, 3, 4, 5, 6`,
  dimension_counts_1h: `SELECT k.dimension, k.value, k.detail, e.time_ns / 3600000000000 AS hour, e.internal, e.priority_rank, count(*) AS alerts
    FROM event_dimension_keys k JOIN events e ON e.id = k.event_id WHERE k.dimension IN ('rule', 'container') GROUP BY 1, 2, 3, 4, 5, 6`,
};

function expectCountsMatchAlerts(db: Db) {
  for (const [table, recomputed] of Object.entries(RECOMPUTED)) {
    const keyColumns = table.startsWith('event_')
      ? 13
      : table.startsWith('priority_')
        ? 3
        : table.startsWith('dimension_')
          ? 6
          : 4;
    const orderBy = `ORDER BY ${Array.from({ length: keyColumns }, (_, i) => i + 1).join(', ')}`;
    expect(db.prepare(`SELECT * FROM ${table} ${orderBy}`).all(), table).toEqual(
      db.prepare(`SELECT * FROM (${recomputed}) ${orderBy}`).all(),
    );
  }
}

const FILTERS: Record<string, unknown>[] = [
  {},
  { internal: 'include' },
  { internal: 'only' },
  { priority: ['Critical', 'Warning'] },
  { minPriority: 'Error' },
  { rule: ['Terminal shell in container'] },
  { rule: ['Read sensitive file untrusted', 'Clear Log Activities'], internal: 'include' },
  { source: ['syscall'] },
  { source: ['(none)'] },
  { hostname: ['node-b', '(none)'] },
  { container: ['web'] },
  { container: ['bbbbbbbbbbb1', '(none)'] },
  { image: ['nginx:1.25'] },
  { image: ['postgres'] },
  { namespace: ['prod'] },
  { pod: ['web-2'] },
  { user: ['root'], minPriority: 'Warning' },
  { hostname: ['node-a'], container: ['host'], priority: ['Notice', 'Informational', 'Debug'] },
  // One tag or process name: counts and timelines by priority from their counts, the rest raw.
  { tag: ['mitre_execution'] },
  { tag: ['shell'], internal: 'include', minPriority: 'Warning' },
  { proc: ['sudo'] },
  { proc: ['<NA>'] },
  // Not served by the counts: both sides read `events`.
  { tag: ['T1059', 'shell'] },
  { proc: ['bash'], rule: ['Terminal shell in container'] },
  { q: 'alert 1' },
];

/** Ranges with ragged and aligned ends, relative and absolute, inside one hour, empty. */
function ranges(): Record<string, unknown>[] {
  const at = (hours: number, extraNs = 0n) => isoNs(msNs(Math.round(START + hours * HOUR)) + extraNs);
  const hourStart = (hours: number) => isoNs(msNs(Math.floor((START + hours * HOUR) / HOUR) * HOUR));
  return [
    {},
    { from: 'all', to: at(41.3) },
    { from: '24h' },
    { from: '30d' },
    // Trend buckets of half a day and more, whose boundaries fall inside counted half-day periods.
    { from: '12d' },
    { from: '13d', to: at(50.5) },
    { from: '59h', to: '5h' },
    { from: at(3.61, 123n), to: at(50.2, 7n) },
    { from: hourStart(5), to: hourStart(29) },
    { from: isoNs(msNs(Date.UTC(2026, 2, 2, 0))), to: at(45.5) },
    { from: at(10.1), to: at(10.4) },
    { from: at(10.9), to: at(11.3) },
    { from: at(-30), to: at(-1) },
    { from: at(30), to: at(20) },
  ];
}

let db: Db;
const written = randomAlerts(2_000, 7);

beforeAll(() => {
  // Written as if now: quarter-hour counts are kept for the last days only (migration 0016).
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
  db = openDatabase(':memory:');
  // Several batches, so that later ones add to counted rows (first_ns and last_ns both move).
  for (let i = 0; i < written.length; i += 400) writeAlerts(db, written.slice(i, i + 400));
});
afterAll(() => {
  db.close();
  vi.useRealTimers();
});

/** Every aggregate the counts can serve, with and without them, for one filter over all ranges. */
function expectSameAnswers(filterInput: Record<string, unknown>, store: Db = db, now = NOW) {
  const raw = { rawOnly: true };
  for (const range of ranges()) {
    const filter = EventFilter.parse({ ...filterInput, ...range });
    const context = JSON.stringify({ ...filterInput, ...range });
    expect(countByPriority(store, filter, now), context).toEqual(countByPriority(store, filter, now, raw));
    expect(rangeSummary(store, filter, now), context).toEqual(rangeSummary(store, filter, now, raw));
    for (const dimension of DIMENSION_NAMES) {
      expect(topValues(store, filter, dimension, 50, now), `${context} ${dimension}`).toEqual(
        topValues(store, filter, dimension, 50, now, raw),
      );
    }
    for (const stack of ['priority', 'rule', 'container'] as const) {
      expect(timeline(store, filter, stack, 3, now), `${context} ${stack}`).toEqual(
        timeline(store, filter, stack, 3, now, raw),
      );
    }
    expect(ruleRows(store, filter, now), context).toEqual(ruleRows(store, filter, now, raw));
    expect(containerRows(store, filter, 500, now), context).toEqual(containerRows(store, filter, 500, now, raw));
  }
}

describe('the counts', () => {
  it('equal the alerts as stored, and a redelivered alert is not counted twice', () => {
    expectCountsMatchAlerts(db);
    const before = db.prepare('SELECT sum(alerts) AS n FROM event_counts_1h').get();
    const again = writeAlerts(db, written.slice(0, 300));
    expect(again.every((result) => result.duplicate)).toBe(true);
    expect(db.prepare('SELECT sum(alerts) AS n FROM event_counts_1h').get()).toEqual(before);
    expectCountsMatchAlerts(db);
  });

  it('refuse changes to a stored alert that they count by', () => {
    expect(() => db.prepare("UPDATE events SET rule = 'other' WHERE id = 1").run()).toThrow(/hourly counts/);
  });
});

describe('reading from the counts', () => {
  it('reads whole 12-hour periods, hours and quarters from the counts and only the partial quarters from events', () => {
    const filter = EventFilter.parse({
      from: isoNs(msNs(Date.UTC(2026, 2, 1, 9, 37))),
      to: isoNs(msNs(Date.UTC(2026, 2, 3, 1, 20))),
    });
    const { sql, params } = eventRows(filter, NOW);
    expect(sql).toContain('event_counts_12h');
    expect(params).toMatchObject({
      rawFrom0: msNs(Date.UTC(2026, 2, 1, 9, 37)),
      rawTo0: msNs(Date.UTC(2026, 2, 1, 9, 45)),
      quarterFrom0: BigInt(Date.UTC(2026, 2, 1, 9, 45) / QUARTER),
      quarterTo0: BigInt(Date.UTC(2026, 2, 1, 10) / QUARTER),
      hourFrom0: BigInt(Date.UTC(2026, 2, 1, 10) / HOUR),
      hourTo0: BigInt(Date.UTC(2026, 2, 1, 12) / HOUR),
      half_dayFrom0: BigInt(Date.UTC(2026, 2, 1, 12) / (12 * HOUR)),
      half_dayTo0: BigInt(Date.UTC(2026, 2, 3) / (12 * HOUR)),
      hourFrom1: BigInt(Date.UTC(2026, 2, 3) / HOUR),
      hourTo1: BigInt(Date.UTC(2026, 2, 3, 1) / HOUR),
      quarterFrom1: BigInt(Date.UTC(2026, 2, 3, 1) / QUARTER),
      quarterTo1: BigInt(Date.UTC(2026, 2, 3, 1, 15) / QUARTER),
      rawFrom1: msNs(Date.UTC(2026, 2, 3, 1, 15)),
      rawTo1: msNs(Date.UTC(2026, 2, 3, 1, 20)),
    });
  });

  it('reads a day of 15-minute bars from the quarters, and bars narrower than a quarter from events', () => {
    const day = EventFilter.parse({ from: '24h' });
    const minute = 60_000_000_000n;
    const quarters = eventRows(day, NOW, { bucketWidthNs: 15n * minute }).sql;
    expect(quarters).toContain('event_counts_15m');
    expect(quarters).not.toContain('event_counts_1h');
    expect(eventRows(day, NOW, { bucketWidthNs: 10n * minute }).sql).not.toContain('counts');
  });

  it('reads only events for filters the counts cannot evaluate, or buckets that split a quarter', () => {
    const month = { from: '30d' };
    expect(eventRows(EventFilter.parse({ ...month, tag: ['shell'] }), NOW).sql).not.toContain('counts');
    expect(tagRows(EventFilter.parse({ ...month, rule: ['x'] }), NOW).sql).not.toContain('counts');
    expect(processNameRows(EventFilter.parse({ ...month, hostname: ['x'] }), NOW).sql).not.toContain('counts');
    expect(processNameRows(EventFilter.parse({ ...month, minPriority: 'Error' }), NOW).sql).toContain(
      'process_counts_1h',
    );
    expect(priorityRows(EventFilter.parse({ ...month, tag: ['shell'] }), NOW).sql).toContain('tag_counts_1h');
    expect(priorityRows(EventFilter.parse({ ...month, tag: ['shell', 'host'] }), NOW).sql).not.toContain('counts');
    expect(priorityRows(EventFilter.parse({ ...month, proc: ['sudo'], tag: ['shell'] }), NOW).sql).not.toContain(
      'counts',
    );
    expect(eventRows(EventFilter.parse(month), NOW, { bucketWidthNs: 5n * 60_000_000_000n }).sql).not.toContain(
      'counts',
    );
    expect(eventRows(EventFilter.parse(month), NOW, { bucketWidthNs: 30n * 60_000_000_000n }).sql).not.toContain(
      'counts_1h',
    );
    expect(eventRows(EventFilter.parse(month), NOW, { bucketWidthNs: 3n * 3_600_000_000_000n }).sql).not.toContain(
      'counts_12h',
    );
  });

  it.each(FILTERS.map((filter) => [JSON.stringify(filter), filter]))(
    'answers as events alone do: %s',
    (_, filter) => {
      expectSameAnswers(filter);
    },
    20_000,
  );
});

describe('after deletes', () => {
  it('stay equal to the alerts when retention deletes part of the oldest hour, in batches', () => {
    // The cutoff falls partway into the third hour of alerts, and so into the first half day.
    const policy = { retentionMs: NOW - (START + 2 * HOUR + 3 * 60_000), maxEvents: null };
    while (pruneBatch(db, policy, NOW) > 0);
    expectCountsMatchAlerts(db);
    for (const filter of FILTERS.slice(0, 8)) expectSameAnswers(filter);
  }, 60_000);

  it('stay equal to the alerts when the count limit prunes, and when alerts go in any order', () => {
    const total = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    while (pruneBatch(db, { retentionMs: null, maxEvents: total - 333 }, NOW) > 0);
    expectCountsMatchAlerts(db);
    // Newest, random and duplicate-time alerts, which move last_ns as well as first_ns.
    db.prepare('DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY time_ns DESC LIMIT 150)').run();
    db.prepare('DELETE FROM events WHERE id % 7 = 3').run();
    expectCountsMatchAlerts(db);
    for (const filter of FILTERS.slice(0, 8)) expectSameAnswers(filter);
  }, 60_000);
});

describe('counts per 15 minutes behind their horizon', () => {
  // Alerts two days after the others, written then, move the horizon (three days back) into them.
  const LATER_MS = 2 * 24 * HOUR;
  const later = randomAlerts(300, 11).map((alert) => ({
    ...alert,
    timeNs: alert.timeNs + msNs(SPAN_HOURS * HOUR + LATER_MS),
  }));
  const laterNow = NOW + SPAN_HOURS * HOUR + LATER_MS;
  let moved: Db;
  beforeAll(() => {
    moved = openDatabase(':memory:');
    vi.setSystemTime(NOW);
    for (let i = 0; i < written.length; i += 400) writeAlerts(moved, written.slice(i, i + 400));
    vi.setSystemTime(laterNow);
    writeAlerts(moved, later);
  });
  afterAll(() => moved.close());
  const horizon = () => moved.prepare('SELECT quarter FROM event_counts_15m_horizon').pluck().get() as number;
  const behind = () =>
    moved
      .prepare('SELECT count(*) FROM event_counts_15m WHERE quarter < (SELECT quarter FROM event_counts_15m_horizon)')
      .pluck()
      .get();

  it('are not read before the horizon, whatever rows are left there, and pruning takes those rows', () => {
    expect(horizon()).toBe(Math.floor(laterNow / QUARTER) - 3 * 96);
    expect(horizon() * QUARTER).toBeGreaterThan(START + HOUR);
    // Rows written before the horizon moved are still there; made wrong, no answer may change.
    expect(behind()).toBeGreaterThan(100);
    moved.prepare('UPDATE event_counts_15m SET alerts = alerts + 1000 WHERE quarter < ?').run(horizon());
    for (const filter of FILTERS.slice(0, 6)) expectSameAnswers(filter, moved, laterNow);
    while (pruneQuarterCounts(moved) > 0);
    expect(behind()).toBe(0);
    expectCountsMatchAlerts(moved);
    expect(moved.prepare('SELECT count(*) FROM event_counts_15m').pluck().get()).toBeGreaterThan(0);
  }, 60_000);

  it('are not written before the horizon', () => {
    writeAlerts(moved, randomAlerts(200, 13));
    expect(behind()).toBe(0);
    expectCountsMatchAlerts(moved);
    expectSameAnswers({}, moved, laterNow);
  }, 60_000);
});
