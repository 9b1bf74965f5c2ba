import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAIN_SEPARATOR, PID_SEPARATOR } from '../falco/ancestry';
import { DIMENSIONS, DIMENSION_NAMES, type Dimension } from '../filters/dimensions';
import { EventFilter } from '../filters/event-filter';
import { prepareEntries } from '../ingest/prepare';
import { splitBody } from '../ingest/split-body';
import type { ProcessTreeNode, ProcessTreeScope, TopValue } from '../stats/types';
import { openDatabase, type Db } from './connection';
import { getEventOrThrow, listEvents, priorityTotals } from './event-queries';
import { writeAlerts } from './event-writer';
import { bucketWidthMs } from '../stats/buckets';
import { containerRows, processTree, rangeSummary, relatedEvents, ruleRows, timeline, topValues } from './stats-queries';

// ---------------------------------------------------------------------------------------------
// Alerts built by hand, so every expected number below is known (or computed here from the specs
// with plain array arithmetic, independently of the SQL under test).

type Level = string | readonly [string, number] | null;
interface Place {
  id: string;
  name?: string;
  image?: string;
  tag?: string;
  ns?: string;
  pod?: string;
}
interface Spec {
  ns: bigint;
  rule: string;
  priority: string;
  source?: string;
  hostname?: string;
  container?: Place;
  user?: string;
  /** Process first, then parent, then ancestors; null for an unknown level. */
  chain?: readonly Level[];
  tags?: readonly string[];
  fields?: Record<string, unknown>;
}

const NS_PER_MS = 1_000_000n;
const MINUTE = 60_000;
const NOW = Date.parse('2026-03-01T12:00:00Z');

/** Nanoseconds `minutes` before NOW, plus `extraNs`. */
const ago = (minutes: number, extraNs = 0) => BigInt(NOW - minutes * MINUTE) * NS_PER_MS + BigInt(extraNs);
const isoNs = (ns: bigint) => `${new Date(Number(ns / NS_PER_MS)).toISOString().slice(0, 19)}.${(ns % 1_000_000_000n).toString().padStart(9, '0')}Z`;
const rankOf = (priority: string) => ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug'].indexOf(priority.toLowerCase());
const PRIORITY_NAMES = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'] as const;

function alertText(spec: Spec, n: number): string {
  const fields: Record<string, unknown> = {};
  if (spec.container) {
    fields['container.id'] = spec.container.id;
    fields['container.name'] = spec.container.name ?? null;
    fields['container.image.repository'] = spec.container.image ?? null;
    fields['container.image.tag'] = spec.container.tag ?? null;
    fields['k8s.ns.name'] = spec.container.ns ?? null;
    fields['k8s.pod.name'] = spec.container.pod ?? null;
  }
  if (spec.user !== undefined) fields[spec.source === 'k8s_audit' ? 'ka.user.name' : 'user.name'] = spec.user;
  spec.chain?.forEach((level, i) => {
    const name = level === null ? null : typeof level === 'string' ? level : level[0];
    const pid = level !== null && typeof level !== 'string' ? level[1] : undefined;
    fields[i === 0 ? 'proc.name' : i === 1 ? 'proc.pname' : `proc.aname[${i}]`] = name;
    if (pid !== undefined) fields[i === 0 ? 'proc.pid' : i === 1 ? 'proc.ppid' : `proc.apid[${i}]`] = pid;
  });
  Object.assign(fields, spec.fields);
  const time = isoNs(spec.ns);
  return JSON.stringify({
    hostname: spec.hostname,
    output: `${time.slice(11)}: ${spec.priority} ${spec.rule} (alert ${n})`,
    output_fields: fields,
    priority: spec.priority,
    rule: spec.rule,
    source: spec.source,
    tags: spec.tags,
    time,
  });
}

/** Writes the specs in order (ids are 1, 2, … in spec order) and returns their texts. */
function load(db: Db, specs: readonly Spec[]): string[] {
  const texts = specs.map((spec, i) => alertText(spec, i + 1)); // `(alert N)` names the id
  const { valid, issues } = prepareEntries(splitBody(texts.join('\n')).entries);
  expect(issues).toEqual([]);
  const written = writeAlerts(db, valid.map((entry) => entry.alert));
  expect(written.map((w) => w.id)).toEqual(specs.map((_, i) => i + 1));
  return texts;
}

const key = (...levels: (string | [string, number])[]) =>
  levels.map((level) => (typeof level === 'string' ? level : `${level[0]}${PID_SEPARATOR}${level[1]}`)).join(CHAIN_SEPARATOR);

// ---------------------------------------------------------------------------------------------
// The main data set: two hosts, three containers, host processes on both hosts, Kubernetes audit
// alerts (no container) on both hosts, internal events; the last hour, the hour before, and older.

const C1: Place = { id: 'aaaaaaaaaaa1', name: 'web', image: 'nginx', tag: '1.25', ns: 'prod', pod: 'web-1' };
const C2: Place = { id: 'bbbbbbbbbbb2', name: 'db', image: 'postgres', tag: '16', ns: 'prod', pod: 'db-0' };
const C3: Place = { id: 'ccccccccccc3', name: 'worker', image: 'registry.local:5000/team/worker', tag: 'v2', ns: 'batch', pod: 'worker-7' };
// Falco 0.41+: a host's image is "" (read as no image).
const HOST: Place = { id: 'host', name: 'host', image: '', tag: '' };

const TS = 'Terminal shell in container';
const RS = 'Read sensitive file untrusted';
const DROP = 'Drop and execute new binary in container';
const K8S = 'Disallowed K8s User';
const CLEAR = 'Clear Log Activities';
const WRITE = 'Write below /etc (custom)';
const DROPPED = 'Falco internal: syscall event drop';

const TS_TAGS = ['T1059', 'container', 'mitre_execution', 'shell'];
const RS_TAGS = ['T1555', 'container', 'filesystem', 'host', 'mitre_credential_access'];
const DROP_TAGS = ['T1059.004', 'container', 'mitre_execution'];
const CLEAR_TAGS = ['T1070', 'container', 'filesystem', 'mitre_defense_evasion'];
const WRITE_TAGS = ['filesystem', 'host', 'mitre_persistence'];

let extra = 0;
const t = (minutes: number, exact = false) => ago(minutes, exact ? 0 : 1_000 + extra++);
const ts = (minutes: number, place: Place, host: string, chain: Level[], exact = false): Spec => ({
  ns: t(minutes, exact), rule: TS, priority: 'Notice', source: 'syscall', hostname: host, container: place,
  user: place === C2 ? 'postgres' : 'root', chain, tags: TS_TAGS,
});
const rs = (minutes: number, place: Place, host: string, priority = 'Warning', chain: Level[] = ['cat', 'sudo', 'sshd', 'systemd']): Spec => ({
  ns: t(minutes), rule: RS, priority, source: 'syscall', hostname: host, container: place, user: 'root', chain, tags: RS_TAGS,
});
const drop = (minutes: number, chain: Level[]): Spec => ({
  ns: t(minutes), rule: DROP, priority: 'Critical', source: 'syscall', hostname: 'node-b', container: C3, user: 'nobody', chain, tags: DROP_TAGS,
});
const k8s = (minutes: number, host: string): Spec => ({
  ns: t(minutes), rule: K8S, priority: 'Warning', source: 'k8s_audit', hostname: host, user: 'system:anonymous', tags: ['k8s'],
  fields: { 'ka.target.namespace': 'kube-system', 'ka.verb': 'get' },
});
const internal = (minutes: number): Spec => ({ ns: t(minutes), rule: DROPPED, priority: 'Debug', source: 'internal', hostname: 'node-a', fields: { 'n_drops': 12 } });

const SHELL: Level[] = ['bash', 'containerd-shim'];
const SUBSHELL: Level[] = ['sh', 'bash', 'containerd-shim'];

const SPECS: Spec[] = [
  // The last hour: 22 detections, 2 internal events.
  ts(5, C1, 'node-a', SHELL),
  ts(10, C1, 'node-a', SHELL),
  ts(15, C1, 'node-a', SHELL),
  ts(20, C1, 'node-a', SUBSHELL),
  ts(60, C1, 'node-a', SUBSHELL, true), // exactly at the start of the range: inside it
  ts(30, C2, 'node-b', [['bash', 200], ['containerd-shim', 10]]),
  ts(31, C2, 'node-b', [['bash', 201], ['containerd-shim', 10]]),
  rs(12, C1, 'node-a', 'Warning', ['cat', 'bash', 'containerd-shim']),
  rs(2, HOST, 'node-a'),
  rs(40, HOST, 'node-a', 'Critical'),
  rs(50, HOST, 'node-a'),
  rs(3, HOST, 'node-b'),
  rs(45, HOST, 'node-b'),
  drop(7, ['kinsing', 'sh', 'containerd-shim']),
  drop(8, ['kinsing', 'sh', 'containerd-shim']),
  drop(9, ['kinsing', null, 'containerd-shim', null, null]),
  drop(33, ['kinsing', null, 'containerd-shim', null, null]),
  k8s(11, 'node-a'),
  k8s(12, 'node-a'),
  k8s(13, 'node-b'),
  { ns: t(35), rule: CLEAR, priority: 'Warning', source: 'syscall', hostname: 'node-b', container: C2, user: 'postgres', chain: ['truncate', 'bash', 'containerd-shim'], tags: CLEAR_TAGS },
  { ns: t(55), rule: WRITE, priority: 'Error', source: 'syscall', hostname: 'node-a', container: HOST, user: 'root', chain: ['tee', 'sudo', 'sshd', 'systemd'], tags: WRITE_TAGS },
  internal(14),
  internal(16),
  // The hour before: 3 detections, 1 internal event.
  ts(90, C1, 'node-a', SHELL),
  ts(120, C1, 'node-a', SHELL, true), // exactly at the start of the previous range
  rs(100, HOST, 'node-a'),
  internal(110),
  // Two days ago.
  { ns: t(2 * 24 * 60), rule: 'Old rule', priority: 'Notice', source: 'syscall', hostname: 'node-a', container: C1, user: 'root', chain: SHELL, tags: ['container'] },
];

interface Alert extends Spec {
  id: number;
  internal: boolean;
}
const ALERTS: Alert[] = SPECS.map((spec, i) => ({ ...spec, id: i + 1, internal: spec.source === 'internal' }));
const FROM_1H = ago(60);
const inLastHour = (a: Alert) => a.ns >= FROM_1H && !a.internal;
const LAST_HOUR = ALERTS.filter(inLastHour);
const sum = (list: readonly number[]) => list.reduce((s, n) => s + n, 0);
const byBinary = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/** The values an alert has for a dimension, as the dashboard should count them. */
function valuesOf(a: Alert, dimension: Dimension): string[] {
  const c = a.container;
  const none = (value: string | undefined | null) => [value === undefined || value === null || value === '' ? '(none)' : value];
  switch (dimension) {
    case 'rule': return [a.rule];
    case 'priority': return [a.priority];
    case 'source': return none(a.source);
    case 'hostname': return none(a.hostname);
    case 'container': return [c === undefined ? '(none)' : c.id === 'host' ? `host ${a.hostname}` : c.id];
    case 'image': return none(c?.image ? `${c.image}${c.tag ? `:${c.tag}` : ''}` : null);
    case 'namespace': return none(c?.ns ?? (a.fields?.['ka.target.namespace'] as string | undefined));
    case 'pod': return none(c?.pod);
    case 'user': return none(a.user);
    case 'proc': {
      // A process counts every alert it appears in, as the process or as an ancestor (like the `proc` filter).
      const names = (a.chain ?? []).map((level) => (level === null || level === undefined ? null : typeof level === 'string' ? level : level[0]));
      return [...new Set(names.filter((name): name is string => name !== null && name !== ''))];
    }
    case 'tag': return [...(a.tags ?? [])];
    case 'tactic': return (a.tags ?? []).filter((tag) => tag.startsWith('mitre_'));
    case 'technique': return (a.tags ?? []).filter((tag) => /^T\d{4}/.test(tag));
  }
}

function expectedTop(alerts: readonly Alert[], dimension: Dimension) {
  const groups = new Map<string, { count: number; worst: number }>();
  for (const a of alerts) {
    for (const value of valuesOf(a, dimension)) {
      const g = groups.get(value) ?? { count: 0, worst: 7 };
      g.count++;
      g.worst = Math.min(g.worst, rankOf(a.priority));
      groups.set(value, g);
    }
  }
  return [...groups.entries()]
    .map(([value, g]) => ({ value, count: g.count, worstPriority: PRIORITY_NAMES[g.worst]! }))
    .sort((x, y) => y.count - x.count || byBinary(x.value, y.value));
}

/** A top value in the same terms as expectedTop (`host node-a` for a host's processes). */
const topKey = (row: TopValue) => (row.value === 'host' ? `host ${row.hostname ?? ''}`.trim() : row.value);

let db: Db;
let TEXTS: string[];
const range1h = EventFilter.parse({ from: '1h' });
const count = (filter: Record<string, unknown>, nowMs = NOW) => listEvents(db, EventFilter.parse(filter), { limit: 1000 }, nowMs).events.length;

beforeAll(() => {
  db = openDatabase(':memory:');
  TEXTS = load(db, SPECS);
});
afterAll(() => db.close());

describe('the hand-made data set', () => {
  it('has 22 detections and 2 internal events in the last hour', () => {
    expect(TEXTS).toHaveLength(SPECS.length);
    expect(LAST_HOUR).toHaveLength(22);
    expect(count({ from: '1h' })).toBe(22);
    expect(count({ from: '1h', internal: 'only' })).toBe(2);
  });
});

describe('rangeSummary', () => {
  it('counts the range per priority, most severe first, and leaves internal events out of the total', () => {
    const summary = rangeSummary(db, range1h, NOW);
    expect(summary.from).toBe(NOW - 60 * MINUTE);
    expect(summary.to).toBe(NOW);
    expect(summary.total).toBe(22);
    expect(summary.internal).toBe(2);
    expect(summary.priorities).toEqual([
      { priority: 'Emergency', priorityRank: 0, count: 0 },
      { priority: 'Alert', priorityRank: 1, count: 0 },
      { priority: 'Critical', priorityRank: 2, count: 5 },
      { priority: 'Error', priorityRank: 3, count: 1 },
      { priority: 'Warning', priorityRank: 4, count: 9 },
      { priority: 'Notice', priorityRank: 5, count: 7 },
      { priority: 'Informational', priorityRank: 6, count: 0 },
      { priority: 'Debug', priorityRank: 7, count: 0 },
    ]);
    expect(sum(summary.priorities.map((p) => p.count))).toBe(summary.total);
  });

  it('compares with the range of the same length just before, boundaries included once', () => {
    const { previous } = rangeSummary(db, range1h, NOW);
    expect(previous).not.toBeNull();
    expect(previous?.from).toBe(NOW - 120 * MINUTE);
    expect(previous?.to).toBe(NOW - 60 * MINUTE);
    expect(previous?.total).toBe(3);
    expect(Object.fromEntries(previous!.priorities.filter((p) => p.count > 0).map((p) => [p.priority, p.count]))).toEqual({ Warning: 1, Notice: 2 });
  });

  it('works for absolute bounds and a range that ends before now', () => {
    const summary = rangeSummary(db, EventFilter.parse({ from: isoNs(ago(30)), to: isoNs(ago(10)) }), NOW);
    const inRange = (a: Alert, lo: bigint, hi: bigint) => !a.internal && a.ns >= lo && a.ns < hi;
    expect(summary.from).toBe(NOW - 30 * MINUTE);
    expect(summary.to).toBe(NOW - 10 * MINUTE);
    expect(summary.total).toBe(ALERTS.filter((a) => inRange(a, ago(30), ago(10))).length);
    expect(summary.previous?.total).toBe(ALERTS.filter((a) => inRange(a, ago(50), ago(30))).length);
    expect(summary.internal).toBe(ALERTS.filter((a) => a.internal && a.ns >= ago(30) && a.ns < ago(10)).length);
  });

  it('applies the other filters to current, previous and internal counts alike', () => {
    const summary = rangeSummary(db, EventFilter.parse({ from: '1h', hostname: ['node-b'] }), NOW);
    expect(summary.total).toBe(LAST_HOUR.filter((a) => a.hostname === 'node-b').length);
    expect(summary.total).toBe(10);
    expect(summary.previous?.total).toBe(0);
    expect(summary.internal).toBe(0);
  });

  it('reads a filter only the alerts can answer (free text, several tags) once, counting as the three reads would', () => {
    const threeReads = (filter: EventFilter, now: number) => {
      const { from, to } = rangeSummary(db, filter, now);
      const previous = priorityTotals(db, { ...filter, from: new Date(from! - (to - from!)).toISOString(), to: new Date(from!).toISOString() }, now);
      return { from, to, ...priorityTotals(db, filter, now), previous: { from: from! - (to - from!), to: from!, ...previous }, internal: priorityTotals(db, { ...filter, internal: 'only' }, now).total };
    };
    const cases: [Record<string, unknown>, number][] = [
      [{ from: '1h', q: 'node-a' }, NOW], [{ from: '2h', q: 'syscall' }, NOW], [{ from: '2h', q: 'sys*', internal: 'include' }, NOW],
      [{ from: '2h', q: 'drop', internal: 'only' }, NOW], [{ from: '90m', tag: ['shell', 'filesystem'] }, NOW],
      [{ from: isoNs(ago(100)), to: isoNs(ago(10)), q: 'root' }, NOW], [{ from: '1h', q: 'no-such-word' }, NOW],
      // Alerts newer than "now" (a clock behind the sender's): the range starts after it ends.
      [{ from: isoNs(ago(30)), q: 'node-a' }, NOW - 45 * MINUTE],
    ];
    for (const [input, now] of cases) {
      const filter = EventFilter.parse(input);
      const summary = rangeSummary(db, filter, now);
      expect(summary, JSON.stringify(input)).toEqual(threeReads(filter, now));
      if (input.q !== 'no-such-word') expect(summary.total + summary.previous!.total + summary.internal, JSON.stringify(input)).toBeGreaterThan(0);
    }
  });

  // Counts of free text read each match's time and priority from a narrow table when no other
  // condition needs the alert's row (lib/db/filter-sql.ts, matchedAlerts); a page reads the rows.
  it.each([
    {}, { rule: [RS] }, { priority: ['Critical', 'Warning'] }, { minPriority: 'Error' }, { hostname: ['node-b'] },
    { container: [C1.id] }, { image: ['nginx:1.25'] }, { namespace: ['prod'] }, { pod: ['db-0'] }, { user: ['root'] },
    { source: ['k8s_audit'] }, { tag: ['filesystem'] }, { proc: ['bash'] }, { chain: [key('containerd-shim')] },
    { internal: 'only' }, { internal: 'include' },
  ])('counts free text with %j as the pages list it', (extra) => {
    for (const q of ['alert', 'containerd*']) {
      const input = { from: '2h', q, ...extra };
      const listed = listEvents(db, EventFilter.parse(input), { limit: 1000 }, NOW).events;
      if (q === 'alert') expect(listed.length, JSON.stringify(input)).toBeGreaterThan(0); // every output ends in `(alert N)`
      const filter = EventFilter.parse(input);
      const summary = rangeSummary(db, filter, NOW);
      expect(summary.total, JSON.stringify(input)).toBe(listed.length);
      for (const { priority, count } of summary.priorities) expect(count, `${JSON.stringify(input)} ${priority}`).toBe(listed.filter((e) => e.priority === priority).length);
      const buckets = timeline(db, filter, 'priority', 8, NOW).buckets;
      expect(sum(buckets.map((bucket) => sum(Object.values(bucket.counts)))), JSON.stringify(input)).toBe(listed.length);
      const lastHour = listed.filter((e) => Date.parse(e.time) >= NOW - 60 * MINUTE);
      expect(priorityTotals(db, { ...filter, from: '1h' }, NOW).total, JSON.stringify(input)).toBe(lastHour.length);
      expect(sum(topValues(db, filter, 'rule', 50, NOW).map((row) => row.count)), JSON.stringify(input)).toBe(listed.length);
      const tagged = topValues(db, filter, 'tag', 50, NOW).map((row) => [row.value, row.count]);
      const tagCounts = new Map<string, number>();
      for (const tag of listed.flatMap((e) => e.tags)) tagCounts.set(tag, (tagCounts.get(tag) ?? 0) + 1);
      expect(Object.fromEntries(tagged), JSON.stringify(input)).toEqual(Object.fromEntries(tagCounts));
    }
  });

  it('has no previous range for all time', () => {
    const summary = rangeSummary(db, EventFilter.parse({ from: 'all' }), NOW);
    expect(summary.from).toBeNull();
    expect(summary.previous).toBeNull();
    expect(summary.total).toBe(ALERTS.filter((a) => !a.internal).length);
    expect(summary.internal).toBe(3);
  });
});

describe('topValues', () => {
  const top = (dimension: Dimension, limit = 50, filter = range1h) => topValues(db, filter, dimension, limit, NOW);

  it.each(DIMENSION_NAMES)('counts %s as the alerts in range have it, largest first, with the worst priority', (dimension) => {
    const rows = top(dimension);
    expect(rows.map((row) => ({ value: topKey(row), count: row.count, worstPriority: row.worstPriority }))).toEqual(expectedTop(LAST_HOUR, dimension));
  });

  it('ranks rules with their counts and worst priority', () => {
    expect(top('rule').map((r) => [r.value, r.count, r.worstPriority])).toEqual([
      [TS, 7, 'Notice'],
      [RS, 6, 'Critical'],
      [DROP, 4, 'Critical'],
      [K8S, 3, 'Warning'],
      [CLEAR, 1, 'Warning'],
      [WRITE, 1, 'Error'],
    ]);
  });

  it('makes the processes of each host a row of their own and all alerts without a container one `(none)` row', () => {
    expect(top('container').map((r) => ({ value: r.value, hostname: r.hostname, label: r.label, count: r.count }))).toEqual([
      { value: C1.id, hostname: null, label: 'web', count: 6 },
      { value: C3.id, hostname: null, label: 'worker', count: 4 },
      { value: 'host', hostname: 'node-a', label: 'host node-a', count: 4 },
      { value: '(none)', hostname: null, label: 'no container', count: 3 },
      { value: C2.id, hostname: null, label: 'db', count: 3 },
      { value: 'host', hostname: 'node-b', label: 'host node-b', count: 2 },
    ]);
  });

  it('reads images as repository:tag, and no image (host "" or none) as `(none)`', () => {
    expect(top('image').map((r) => [r.value, r.count])).toEqual([
      ['(none)', 9],
      ['nginx:1.25', 6],
      ['registry.local:5000/team/worker:v2', 4],
      ['postgres:16', 3],
    ]);
  });

  it('counts MITRE tactics and techniques apart from other tags', () => {
    expect(top('tactic').map((r) => [r.value, r.count])).toEqual([
      ['mitre_execution', 11],
      ['mitre_credential_access', 6],
      ['mitre_defense_evasion', 1],
      ['mitre_persistence', 1],
    ]);
    expect(top('technique').map((r) => [r.value, r.count])).toEqual([
      ['T1059', 7],
      ['T1555', 6],
      ['T1059.004', 4],
      ['T1070', 1],
    ]);
  });

  it('stops at the limit', () => {
    expect(top('rule', 2).map((r) => r.value)).toEqual([TS, RS]);
    expect(top('container', 3).map((r) => topKey(r))).toEqual([C1.id, C3.id, 'host node-a']);
  });

  it('applies the filter, internal events excluded', () => {
    expect(top('rule').some((r) => r.value === DROPPED)).toBe(false);
    expect(top('rule', 50, EventFilter.parse({ from: '1h', internal: 'only' })).map((r) => [r.value, r.count])).toEqual([[DROPPED, 2]]);
    expect(top('container', 50, EventFilter.parse({ from: '1h', hostname: ['node-b'] })).map((r) => [topKey(r), r.count])).toEqual([
      [C3.id, 4],
      [C2.id, 3],
      ['host node-b', 2],
      ['(none)', 1],
    ]);
  });

  // Every bar links to its filter (DIMENSIONS), so the list behind a bar must hold as many alerts as the bar shows.
  it.each(DIMENSION_NAMES)('links every %s value to a filter that selects exactly its alerts', (dimension) => {
    for (const row of top(dimension)) {
      const filter: Record<string, unknown> = { from: '1h', [DIMENSIONS[dimension].filter]: [row.value] };
      if (dimension === 'container' && row.value === 'host') filter.hostname = [row.hostname];
      expect(count(filter), `${dimension}=${topKey(row)}`).toBe(row.count);
    }
  });
});

describe('timeline', () => {
  const totals = (buckets: { total: number }[]) => sum(buckets.map((b) => b.total));
  const seriesTotal = (buckets: { counts: Record<string, number> }[], series: string) => sum(buckets.map((b) => b.counts[series] ?? 0));

  it('stacks by priority in buckets sized to the last hour; the buckets add up to the alerts in range', () => {
    const line = timeline(db, range1h, 'priority', 8, NOW);
    expect(line.from).toBe(NOW - 60 * MINUTE);
    expect(line.to).toBe(NOW);
    expect(line.widthMs).toBe(bucketWidthMs(60 * MINUTE));
    expect(line.series).toEqual([...PRIORITY_NAMES]);
    // NOW is on a boundary of every width: the buckets tile the hour exactly.
    expect(line.buckets).toHaveLength((60 * MINUTE) / line.widthMs);
    expect(line.buckets[0]?.start).toBe(NOW - 60 * MINUTE);
    expect(line.buckets.at(-1)?.start).toBe(NOW - line.widthMs);
    expect(totals(line.buckets)).toBe(22);
    for (const name of PRIORITY_NAMES) {
      expect(seriesTotal(line.buckets, name), name).toBe(LAST_HOUR.filter((a) => a.priority === name).length);
    }
  });

  it('puts each alert in the bucket of its time', () => {
    const line = timeline(db, range1h, 'priority', 8, NOW);
    const expected = new Map<number, number>();
    for (const a of LAST_HOUR) {
      const start = Math.floor(Number(a.ns / NS_PER_MS) / line.widthMs) * line.widthMs;
      expected.set(start, (expected.get(start) ?? 0) + 1);
    }
    for (const bucket of line.buckets) expect(bucket.total, new Date(bucket.start).toISOString()).toBe(expected.get(bucket.start) ?? 0);
  });

  it('stacks by the top rules with the rest as other', () => {
    const line = timeline(db, range1h, 'rule', 3, NOW);
    expect(line.series).toEqual([TS, RS, DROP, 'other']);
    expect(totals(line.buckets)).toBe(22);
    expect(seriesTotal(line.buckets, TS)).toBe(7);
    expect(seriesTotal(line.buckets, RS)).toBe(6);
    expect(seriesTotal(line.buckets, DROP)).toBe(4);
    expect(seriesTotal(line.buckets, 'other')).toBe(5);
  });

  it('drops the other series when the top values cover everything', () => {
    const line = timeline(db, range1h, 'rule', 8, NOW);
    expect(line.series).toEqual([TS, RS, DROP, K8S, CLEAR, WRITE]);
    expect(line.buckets.every((b) => !('other' in b.counts))).toBe(true);
    expect(totals(line.buckets)).toBe(22);
  });

  it('stacks by container with one series per host for host processes and one for no container', () => {
    const line = timeline(db, range1h, 'container', 8, NOW);
    expect(line.series).toEqual([C1.id, C3.id, 'host node-a', '(none)', C2.id, 'host node-b']);
    expect(line.series.map((s) => seriesTotal(line.buckets, s))).toEqual([6, 4, 4, 3, 3, 2]);
    expect(totals(line.buckets)).toBe(22);

    const top2 = timeline(db, range1h, 'container', 2, NOW);
    expect(top2.series).toEqual([C1.id, C3.id, 'other']);
    expect(top2.series.map((s) => seriesTotal(top2.buckets, s))).toEqual([6, 4, 12]);
    expect(totals(top2.buckets)).toBe(22);
  });

  it('covers all time from the oldest matching alert', () => {
    const line = timeline(db, EventFilter.parse({ from: 'all' }), 'priority', 8, NOW);
    const oldest = ALERTS.filter((a) => !a.internal).reduce((min, a) => (a.ns < min ? a.ns : min), ago(0));
    expect(line.from).toBe(Number(oldest / NS_PER_MS));
    expect(line.widthMs).toBe(30 * MINUTE);
    expect(line.buckets.length).toBeLessThanOrEqual(120);
    expect(totals(line.buckets)).toBe(ALERTS.filter((a) => !a.internal).length);
  });

  it('stays within 120 buckets and counts every alert when now is not on a bucket boundary', () => {
    const now = NOW + 7_654;
    const line = timeline(db, range1h, 'priority', 8, now);
    expect(totals(line.buckets)).toBe(ALERTS.filter((a) => !a.internal && a.ns >= BigInt(now - 60 * MINUTE) * NS_PER_MS).length);
    expect(line.buckets.length).toBeLessThanOrEqual(120);
  });
});

describe('ruleRows', () => {
  const rows = () => ruleRows(db, range1h, NOW).rules;

  it('lists every rule in range, most alerts first, with its worst priority', () => {
    expect(rows().map((r) => [r.rule, r.count, r.worstPriority])).toEqual([
      [TS, 7, 'Notice'],
      [RS, 6, 'Critical'],
      [DROP, 4, 'Critical'],
      [K8S, 3, 'Warning'],
      [CLEAR, 1, 'Warning'],
      [WRITE, 1, 'Error'],
    ]);
  });

  it('gives first and last seen in the range, containers (a host counted per host) and hosts', () => {
    const byRule = new Map(rows().map((r) => [r.rule, r]));
    for (const rule of [TS, RS, DROP, K8S, CLEAR, WRITE]) {
      const alerts = LAST_HOUR.filter((a) => a.rule === rule);
      const times = alerts.map((a) => a.ns).sort((x, y) => (x < y ? -1 : 1));
      const row = byRule.get(rule)!;
      expect(row.firstSeen, rule).toBe(isoNs(times[0]!));
      expect(row.lastSeen, rule).toBe(isoNs(times.at(-1)!));
      expect(row.hosts, rule).toBe(new Set(alerts.map((a) => a.hostname)).size);
    }
    expect(byRule.get(TS)?.firstSeen).toBe(isoNs(ago(60)));
    expect(byRule.get(RS)).toMatchObject({ containers: 3, hosts: 2 });
    expect(byRule.get(TS)).toMatchObject({ containers: 2, hosts: 2 });
    expect(byRule.get(DROP)).toMatchObject({ containers: 1, hosts: 1 });
    expect(byRule.get(WRITE)).toMatchObject({ containers: 1, hosts: 1 });
  });

  it('counts as many containers for a rule as the containers view lists for it', () => {
    for (const row of rows()) {
      expect(row.containers, row.rule).toBe(containerRows(db, EventFilter.parse({ from: '1h', rule: [row.rule] }), 500, NOW).length);
    }
  });

  it('gives each rule a trend over whole 3-minute buckets of the hour that sums to its count', () => {
    const { rules, trend } = ruleRows(db, range1h, NOW);
    expect(trend).toEqual({ start: NOW - 60 * MINUTE, widthMs: 3 * MINUTE, buckets: 20, from: NOW - 60 * MINUTE, to: NOW });
    for (const row of rules) {
      expect(row.trend, row.rule).toHaveLength(20);
      expect(sum(row.trend), row.rule).toBe(row.count);
      const expected = new Array<number>(20).fill(0);
      for (const a of LAST_HOUR.filter((x) => x.rule === row.rule)) {
        const index = Number((a.ns - FROM_1H) / (3n * BigInt(MINUTE) * NS_PER_MS));
        expected[index] = (expected[index] ?? 0) + 1;
      }
      expect(row.trend, row.rule).toEqual(expected);
    }
  });

  it('starts and ends the trend on whole buckets when now is mid-bucket, the partial ones counting only the range', () => {
    const now = NOW + 7_654;
    const { rules, trend } = ruleRows(db, range1h, now);
    // 21 buckets of 3 minutes: the first starts before the range (at 11:00), the last ends after now (at 12:03).
    expect(trend).toEqual({ start: NOW - 60 * MINUTE, widthMs: 3 * MINUTE, buckets: 21, from: now - 60 * MINUTE, to: now });
    const inRange = LAST_HOUR.filter((a) => a.ns >= BigInt(now - 60 * MINUTE) * NS_PER_MS);
    for (const row of rules) {
      expect(row.trend, row.rule).toHaveLength(21);
      expect(sum(row.trend), row.rule).toBe(inRange.filter((a) => a.rule === row.rule).length);
    }
  });

  it('sums trends to counts for all time as well', () => {
    const { rules } = ruleRows(db, EventFilter.parse({ from: 'all' }), NOW);
    expect(sum(rules.map((r) => r.count))).toBe(ALERTS.filter((a) => !a.internal).length);
    for (const row of rules) expect(sum(row.trend), row.rule).toBe(row.count);
  });

  it('is empty when nothing matches', () => {
    expect(ruleRows(db, EventFilter.parse({ from: '1h', rule: ['No such rule'] }), NOW).rules).toEqual([]);
  });
});

describe('containerRows', () => {
  const rows = () => containerRows(db, range1h, 500, NOW);

  it('has one row per container, one per host for host processes, and one `(none)` row', () => {
    expect(rows().map((r) => [r.containerId, r.hostname, r.count, r.worstPriority])).toEqual([
      [C1.id, null, 6, 'Warning'],
      [C3.id, null, 4, 'Critical'],
      ['host', 'node-a', 4, 'Critical'],
      ['(none)', null, 3, 'Warning'],
      [C2.id, null, 3, 'Warning'],
      ['host', 'node-b', 2, 'Warning'],
    ]);
    expect(sum(rows().map((r) => r.count))).toBe(22);
  });

  it('describes each container and when it was last seen', () => {
    const c1 = rows().find((r) => r.containerId === C1.id);
    expect(c1).toMatchObject({ name: 'web', imageRepository: 'nginx', imageTag: '1.25', k8sNamespace: 'prod', k8sPod: 'web-1', lastSeen: isoNs(SPECS[0]!.ns) });
    const none = rows().find((r) => r.containerId === '(none)');
    expect(none).toMatchObject({ name: null, imageRepository: null, k8sPod: null });
    const hostB = rows().find((r) => r.containerId === 'host' && r.hostname === 'node-b');
    expect(hostB?.lastSeen).toBe(isoNs(LAST_HOUR.filter((a) => a.container === HOST && a.hostname === 'node-b').map((a) => a.ns).reduce((x, y) => (x > y ? x : y))));
  });

  it('lists the top rules of each container in count order', () => {
    const byKey = new Map(rows().map((r) => [`${r.containerId} ${r.hostname ?? ''}`, r.topRules]));
    expect(byKey.get(`${C1.id} `)).toEqual([{ rule: TS, count: 5 }, { rule: RS, count: 1 }]);
    expect(byKey.get(`${C2.id} `)).toEqual([{ rule: TS, count: 2 }, { rule: CLEAR, count: 1 }]);
    expect(byKey.get('host node-a')).toEqual([{ rule: RS, count: 3 }, { rule: WRITE, count: 1 }]);
    expect(byKey.get('host node-b')).toEqual([{ rule: RS, count: 2 }]);
    expect(byKey.get('(none) ')).toEqual([{ rule: K8S, count: 3 }]);
  });

  it('stops at the limit', () => {
    expect(containerRows(db, range1h, 2, NOW).map((r) => r.containerId)).toEqual([C1.id, C3.id]);
  });

  describe('with many rules in one container', () => {
    let busy: Db;
    beforeAll(() => {
      busy = openDatabase(':memory:');
      const place: Place = { id: 'ddddddddddd4', name: 'busy' };
      // Rules interleaved in time so insertion order says nothing about counts.
      const plan: [string, number][] = [['E rule', 1], ['B rule', 3], ['D rule', 1], ['A rule', 4], ['C rule', 2], ['F rule', 3]];
      const specs: Spec[] = [];
      for (let round = 0; round < 4; round++) {
        for (const [rule, n] of plan) {
          if (round < n) specs.push({ ns: ago(10 + specs.length), rule, priority: 'Notice', hostname: 'node-a', container: place });
        }
      }
      load(busy, specs);
    });
    afterAll(() => busy.close());

    it('keeps at most three, most frequent first, ties by name', () => {
      const [row] = containerRows(busy, range1h, 500, NOW);
      expect(row?.count).toBe(14);
      expect(row?.topRules).toEqual([
        { rule: 'A rule', count: 4 },
        { rule: 'B rule', count: 3 },
        { rule: 'F rule', count: 3 },
      ]);
    });
  });
});

describe('processTree', () => {
  const tree = () => processTree(db, range1h, 5_000, NOW);
  const walk = (nodes: readonly ProcessTreeNode[], visit: (node: ProcessTreeNode) => void) => {
    for (const node of nodes) {
      visit(node);
      walk(node.children, visit);
    }
  };

  /** A scope as the tests name it: the container id, or `host <hostname>`. */
  const scopeKey = (s: { containerId: string | null; hostname: string | null }) => (s.containerId === 'host' ? `host ${s.hostname ?? ''}`.trim() : String(s.containerId));

  it('has one scope per container and per host, counting the alerts with a process chain', () => {
    const { scopes, truncated } = tree();
    expect(truncated).toBe(false);
    const summary = scopes.map((s) => [scopeKey(s), s.count]).sort((x, y) => byBinary(String(x[0]), String(y[0])));
    expect(summary).toEqual([
      [C1.id, 6],
      [C2.id, 3],
      [C3.id, 4],
      ['host node-a', 4],
      ['host node-b', 2],
    ]);
    const counts = scopes.map((s) => s.count);
    expect(counts).toEqual([...counts].sort((x, y) => y - x));
    expect(sum(counts)).toBe(LAST_HOUR.filter((a) => a.chain).length);
    // Containers are labelled by name, with the id beside it.
    expect(scopes.find((s) => s.containerId === C1.id)?.label).toBe(`web (${C1.id})`);
  });

  it('merges chains root first, counting at each node the alerts at or below it', () => {
    const scope = (key: string) => tree().scopes.find((s) => scopeKey(s) === key)!;
    const shape = (nodes: readonly ProcessTreeNode[]): unknown => nodes.map((n) => [n.name, n.pid, n.count, n.worstPriority, shape(n.children)]);
    expect(shape(scope(C1.id).roots)).toEqual([
      ['containerd-shim', null, 6, 'Warning', [['bash', null, 6, 'Warning', [['sh', null, 2, 'Notice', []], ['cat', null, 1, 'Warning', []]]]]],
    ]);
    expect(shape(scope('host node-a').roots)).toEqual([
      ['systemd', null, 4, 'Critical', [['sshd', null, 4, 'Critical', [['sudo', null, 4, 'Critical', [['cat', null, 3, 'Critical', []], ['tee', null, 1, 'Error', []]]]]]]],
    ]);
    const c3 = shape(scope(C3.id).roots) as [string, null, number, string, unknown[]][];
    expect(c3).toHaveLength(1);
    expect(c3[0]?.slice(0, 4)).toEqual(['containerd-shim', null, 4, 'Critical']);
    expect((c3[0]?.[4] as unknown[][]).map((n) => [n[0], n[2]]).sort()).toEqual([['?', 2], ['sh', 2]]);
  });

  it('makes distinct nodes for distinct pids', () => {
    const c2 = tree().scopes.find((s) => s.containerId === C2.id)!;
    expect(c2.roots.map((n) => [n.name, n.pid, n.count])).toEqual([['containerd-shim', 10, 2], ['containerd-shim', null, 1]]);
    const shim10 = c2.roots.find((n) => n.pid === 10)!;
    const children = shim10.children.map((n) => [n.name, n.pid, n.count] as const);
    expect([...children].sort((x, y) => (x[1] ?? 0) - (y[1] ?? 0))).toEqual([['bash', 200, 1], ['bash', 201, 1]]);
    expect(shim10.children[0]?.chain).toBe(key(['containerd-shim', 10], ['bash', shim10.children[0]!.pid!]));
  });

  it("gives every node a chain filter that lists exactly the node's alerts in its scope", () => {
    for (const scope of tree().scopes) {
      const place = scope.containerId === 'host' ? { container: ['host'], hostname: [scope.hostname] } : { container: [scope.containerId] };
      walk(scope.roots, (node) => {
        expect(count({ from: '1h', ...place, chain: [node.chain] }), `${scope.label} ${node.chain}`).toBe(node.count);
      });
    }
  });

  it('says when it stopped at the limit of distinct chains', () => {
    // Distinct (container, host, chain) groups in the last hour: c1 3, c2 3, c3 2, host node-a 2, host node-b 1.
    expect(processTree(db, range1h, 11, NOW).truncated).toBe(false);
    const cut = processTree(db, range1h, 10, NOW);
    expect(cut.truncated).toBe(true);
    expect(sum(cut.scopes.map((s) => s.count))).toBeLessThan(19);
  });

  const WITH_CHAIN = LAST_HOUR.filter((a) => a.chain);
  const newestFirst = (alerts: readonly Alert[]) => [...alerts].sort((x, y) => (y.ns > x.ns ? 1 : y.ns < x.ns ? -1 : 0));
  const keyOf = (a: Alert) => (a.container?.id === 'host' ? `host ${a.hostname}` : String(a.container?.id ?? null));
  const countsByScope = (alerts: readonly Alert[]) => {
    const counts = new Map<string, number>();
    for (const a of alerts) counts.set(keyOf(a), (counts.get(keyOf(a)) ?? 0) + 1);
    return [...counts.entries()].sort((x, y) => byBinary(x[0], y[0]));
  };
  const scopeCounts = (scopes: readonly ProcessTreeScope[]) => scopes.map((s) => [scopeKey(s), s.count] as const).sort((x, y) => byBinary(x[0], y[0]));

  it('holds every matching alert when there are no more of them than it reads, and then reports no sample', () => {
    const whole = processTree(db, range1h, 5_000, NOW, WITH_CHAIN.length);
    expect(whole.sample).toBeNull();
    expect(whole.scopes).toEqual(tree().scopes);
  });

  it('holds only the newest alerts when there are more, and says since when and out of how many', () => {
    const newest = newestFirst(WITH_CHAIN).slice(0, 5);
    const { scopes, sample } = processTree(db, range1h, 5_000, NOW, 5);
    // The total counts every matching alert, with process information or not (the audit alerts have none).
    expect(sample).toEqual({ alerts: 5, since: isoNs(newest.at(-1)!.ns), total: LAST_HOUR.length });
    expect(scopeCounts(scopes)).toEqual(countsByScope(newest));
    // Narrowed to `since`, a node's chain filter lists exactly the alerts it counts.
    for (const scope of scopes) {
      const place = scope.containerId === 'host' ? { container: ['host'], hostname: [scope.hostname] } : { container: [scope.containerId] };
      walk(scope.roots, (node) => expect(count({ from: sample!.since, ...place, chain: [node.chain] }), node.chain).toBe(node.count));
    }
    // And the range narrowed to `since` gives the same tree, now whole.
    const narrowed = processTree(db, EventFilter.parse({ from: sample!.since }), 5_000, NOW, 5);
    expect(narrowed.sample).toBeNull();
    expect(narrowed.scopes).toEqual(scopes);
  });

  it('matches a container by id or by name as the filter does, reading the newest of either', () => {
    const matches = (a: Alert, values: readonly string[]) =>
      values.includes(a.container?.id ?? '(none)') || (a.container?.name !== undefined && values.includes(a.container.name));
    for (const container of [[C1.id], ['web'], ['web', C1.id], ['db', C3.id], ['(none)', 'worker'], ['host'], ['no-such-container']]) {
      const filter = EventFilter.parse({ from: '1h', container });
      const matching = newestFirst(WITH_CHAIN.filter((a) => matches(a, container)));
      const whole = processTree(db, filter, 5_000, NOW);
      expect(scopeCounts(whole.scopes), JSON.stringify(container)).toEqual(countsByScope(matching));
      expect(whole.sample).toBeNull();
      const two = processTree(db, filter, 5_000, NOW, 2);
      expect(scopeCounts(two.scopes), JSON.stringify(container)).toEqual(countsByScope(matching.slice(0, 2)));
      expect(two.sample?.since ?? null, JSON.stringify(container)).toBe(matching.length > 2 ? isoNs(matching[1]!.ns) : null);
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('relatedEvents', () => {
  let rel: Db;
  const T = 30; // minutes before NOW
  const TEN_MIN_NS = 10n * 60n * 1_000_000_000n;
  const CHAIN: Level[] = ['sh', 'nginx', 'containerd-shim'];
  const R1 = 'Run shell untrusted';
  const R2 = 'Write below etc';
  const s = (ns: bigint, rule: string, host: string, place?: Place, chain?: Level[], source = 'syscall'): Spec => ({
    ns, rule, priority: 'Notice', source, hostname: host, container: place, chain,
  });
  const REL: Spec[] = [
    /* 1 */ s(ago(T), R1, 'node-a', C1, CHAIN), // the alert in a container
    /* 2 */ s(ago(T) + TEN_MIN_NS, R2, 'node-a', C1), // +10 min exactly: nearby
    /* 3 */ s(ago(T) - TEN_MIN_NS, R2, 'node-a', C1), // -10 min exactly: nearby
    /* 4 */ s(ago(T) + TEN_MIN_NS + 1n, R2, 'node-a', C1), // just outside
    /* 5 */ s(ago(T) - TEN_MIN_NS - 1n, R2, 'node-a', C1), // just outside
    /* 6 */ s(ago(T) + 60_000_000_000n, R2, 'node-a', C2), // same time, other container
    /* 7 */ s(ago(T) + 60_000_000_000n, R2, 'node-a', HOST), // same time, host of the same node
    /* 8 */ s(ago(T - 120), R1, 'node-b', C2), // same rule, other container
    /* 9 */ s(ago(T - 180), R1, 'node-a', C1), // same rule, same container, later: not "elsewhere"
    /* 10 */ s(ago(T - 240), R2, 'node-b', C2, CHAIN), // same chain elsewhere
    /* 11 */ s(ago(T - 250), R2, 'node-a', C1, ['bash', 'nginx', 'containerd-shim']), // other chain
    /* 12 */ s(ago(T - 260), R1, 'node-a', HOST), // same rule on a host
    /* 13 */ s(ago(T - 270), R1, 'node-b'), // same rule, no container (an older Falco without container fields)
    /* 14 */ s(ago(T - 5), R2, 'node-a', C1, CHAIN), // nearby and same chain
    // Host processes.
    /* 15 */ s(ago(T), R2, 'node-a', HOST, ['cat', 'sudo']),
    /* 16 */ s(ago(T) + 120_000_000_000n, R1, 'node-b', HOST), // other host's processes
    /* 17 */ s(ago(T) + 180_000_000_000n, R2, 'node-b', HOST), // same rule as 15, other host
    // No container (Kubernetes audit) on node-a.
    /* 18 */ s(ago(T), 'Disallowed K8s User', 'node-a', undefined, undefined, 'k8s_audit'),
    /* 19 */ s(ago(T) + 60_000_000_000n, 'Attach/Exec Pod', 'node-a', undefined, undefined, 'k8s_audit'),
    /* 20 */ s(ago(T) + 60_000_000_000n, 'Attach/Exec Pod', 'node-b', undefined, undefined, 'k8s_audit'),
    /* 21 */ { ns: ago(T) + 90_000_000_000n, rule: DROPPED, priority: 'Debug', source: 'internal', hostname: 'node-a' },
  ];
  const ids = (list: { id: number }[]) => list.map((e) => e.id);

  beforeAll(() => {
    rel = openDatabase(':memory:');
    load(rel, REL);
  });
  afterAll(() => rel.close());

  it('finds nearby alerts of the same container within ±10 minutes, newest first, bounds included', () => {
    const related = relatedEvents(rel, 1)!;
    expect(ids(related.nearby)).toEqual([2, 14, 3]);
  });

  it('finds alerts with the same process chain at any time and place', () => {
    // 10 is later than 14: newest first.
    expect(ids(relatedEvents(rel, 1)!.sameChain)).toEqual([10, 14]);
    expect(relatedEvents(rel, 18)!.sameChain).toEqual([]);
  });

  it('finds the same rule in other containers and on hosts, not in the same container', () => {
    const elsewhere = ids(relatedEvents(rel, 1)!.sameRuleElsewhere);
    expect(elsewhere).not.toContain(9);
    expect(elsewhere).toEqual(expect.arrayContaining([8, 12, 16]));
  });

  it('counts an alert without a container as elsewhere', () => {
    // Newest first: 13, 12 and 8 are hours after the alert, 16 two minutes after it.
    expect(ids(relatedEvents(rel, 1)!.sameRuleElsewhere)).toEqual([13, 12, 8, 16]);
  });

  it("looks for the same rule elsewhere among the rule's nearest alerts only, those of the same place included", () => {
    // After alert 1, its rule's alerts in time order: 16 (elsewhere), 8 (elsewhere), 9 (same container), 12, 13.
    expect(ids(relatedEvents(rel, 1, 20, 3)!.sameRuleElsewhere)).toEqual([8, 16]);
    expect(ids(relatedEvents(rel, 1, 20, 4)!.sameRuleElsewhere)).toEqual([12, 8, 16]);
  });

  it("scopes host processes to the alert's host", () => {
    const related = relatedEvents(rel, 15)!;
    expect(ids(related.nearby)).toEqual([7]);
    expect(ids(related.sameRuleElsewhere)).toEqual(expect.arrayContaining([17]));
    expect(ids(related.sameRuleElsewhere)).not.toContain(7);
  });

  it('scopes alerts without a container to their host', () => {
    const related = relatedEvents(rel, 18)!;
    expect(ids(related.nearby).filter((id) => id !== 21)).toEqual([19]);
  });

  // FORMAT.md §1: internal events are Falco's health reports, shown apart and not mixed into detections.
  it("leaves Falco's own health events out of related alerts", () => {
    expect(ids(relatedEvents(rel, 18)!.nearby)).not.toContain(21);
  });

  it('never includes the alert itself', () => {
    for (let id = 1; id <= REL.length; id++) {
      const related = relatedEvents(rel, id)!;
      for (const list of [related.nearby, related.sameChain, related.sameRuleElsewhere]) expect(ids(list), `alert ${id}`).not.toContain(id);
    }
  });

  it('returns summaries, closest in time first, and honours the limit', () => {
    const all = relatedEvents(rel, 1)!;
    const self = getEventOrThrow(rel, 1);
    const gap = (time: string) => {
      const d = Date.parse(time) - Date.parse(self.time);
      return Math.abs(d);
    };
    const closest = [...all.nearby].sort((a, b) => gap(a.time) - gap(b.time))[0]!;
    const related = relatedEvents(rel, 1, 1)!;
    expect(ids(related.nearby)).toEqual([closest.id]);
    expect(related.sameChain).toHaveLength(1);
    expect(related.nearby[0]).toMatchObject({ id: closest.id, rule: closest.rule, containerId: C1.id, time: closest.time });
  });

  it('is undefined for an unknown id', () => {
    expect(relatedEvents(rel, 999)).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
describe('chain and (none) filters (filter-sql)', () => {
  let fdb: Db;
  const F: Spec[] = [
    /* 1 */ { ns: ago(5), rule: 'r', priority: 'Notice', hostname: 'node-a', container: C1, chain: ['sh', 'bash', 'containerd-shim'] },
    /* 2 */ { ns: ago(6), rule: 'r', priority: 'Notice', hostname: 'node-a', container: C1, chain: ['bash', 'containerd-shim'] },
    /* 3 */ { ns: ago(7), rule: 'r', priority: 'Notice', hostname: 'node-a', container: C1, chain: ['x', 'bashful', 'containerd-shim'] },
    /* 4 */ { ns: ago(8), rule: 'r', priority: 'Notice', hostname: 'node-a', container: C1, chain: [['sh', 9], ['bash', 50], ['containerd-shim', 10]] },
    /* 5 */ { ns: ago(9), rule: 'r', priority: 'Notice', hostname: 'node-a', container: C1, chain: ['a_b', 'kworker/0:1'] },
    /* 6 */ { ns: ago(10), rule: 'r', priority: 'Notice', hostname: 'node-a', container: C1, chain: ['axb', 'kworker/0:1'] },
    /* 7 */ { ns: ago(11), rule: 'r', priority: 'Notice', hostname: 'node-a', container: C1, chain: [null, 'containerd-shim'] },
    /* 8 */ { ns: ago(12), rule: 'k', priority: 'Warning', source: 'k8s_audit', hostname: 'node-a', user: 'alice' },
    /* 9 */ { ns: ago(13), rule: 'k', priority: 'Warning', source: 'k8s_audit', hostname: 'node-b', user: 'bob' },
    /* 10 */ { ns: ago(14), rule: 'old', priority: 'Notice', container: { id: 'eeeeeeeeeee5' } }, // no source, no host, no image
    /* 11 */ { ns: ago(15), rule: 'h', priority: 'Notice', hostname: 'node-a', container: HOST, chain: ['cat'] },
  ];
  const ids = (filter: Record<string, unknown>) => listEvents(fdb, EventFilter.parse(filter), { limit: 100 }).events.map((e) => e.id).sort((x, y) => x - y);

  beforeAll(() => {
    fdb = openDatabase(':memory:');
    load(fdb, F);
  });
  afterAll(() => fdb.close());

  it('chain selects the alerts at or below a node, not siblings whose names only start the same', () => {
    expect(ids({ chain: [key('containerd-shim')] })).toEqual([1, 2, 3, 7]);
    expect(ids({ chain: [key('containerd-shim', 'bash')] })).toEqual([1, 2]);
    expect(ids({ chain: [key('containerd-shim', 'bash', 'sh')] })).toEqual([1]);
    expect(ids({ chain: [key('containerd-shim', 'bas')] })).toEqual([]);
    expect(ids({ chain: [key('containerd-shim', '?')] })).toEqual([7]);
  });

  it('chain tells nodes with pids from nodes without', () => {
    expect(ids({ chain: [key(['containerd-shim', 10])] })).toEqual([4]);
    expect(ids({ chain: [key(['containerd-shim', 10], ['bash', 50], ['sh', 9])] })).toEqual([4]);
    expect(ids({ chain: [key(['containerd-shim', 1])] })).toEqual([]);
  });

  it('chain matches names literally: no wildcards', () => {
    expect(ids({ chain: [key('kworker/0:1', 'a_b')] })).toEqual([5]);
    expect(ids({ chain: [key('kworker/0:1')] })).toEqual([5, 6]);
    expect(ids({ chain: ['kworker/0:1%'] })).toEqual([]);
  });

  it('several chains are OR, and chain ANDs with other filters', () => {
    expect(ids({ chain: [key('containerd-shim', 'bash', 'sh'), key('kworker/0:1')] })).toEqual([1, 5, 6]);
    expect(ids({ chain: [key('containerd-shim')], q: '(alert 2)' })).toEqual([2]);
    expect(ids({ chain: [key('cat')], container: ['host'], hostname: ['node-a'] })).toEqual([11]);
  });

  it('(none) selects alerts without the value, alone or with other values', () => {
    expect(ids({ container: ['(none)'] })).toEqual([8, 9]);
    expect(ids({ container: ['(none)', C1.id] })).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(ids({ hostname: ['(none)'] })).toEqual([10]);
    expect(ids({ source: ['(none)'] })).toEqual([1, 2, 3, 4, 5, 6, 7, 10, 11]);
    expect(ids({ image: ['(none)'] })).toEqual([8, 9, 10, 11]);
    expect(ids({ image: ['(none)', 'nginx:1.25'] })).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(ids({ namespace: ['(none)'] })).toEqual([8, 9, 10, 11]);
    expect(ids({ pod: ['(none)'] })).toEqual([8, 9, 10, 11]);
    expect(ids({ user: ['(none)'] })).toEqual([1, 2, 3, 4, 5, 6, 7, 10, 11]);
    expect(ids({ user: ['(none)'], container: ['(none)'] })).toEqual([]);
  });

  it('lists only named processes: an unknown process is not a value to filter by', () => {
    const rows = topValues(fdb, EventFilter.parse({}), 'proc', 50, NOW);
    expect(rows.find((r) => r.value === '(none)')).toBeUndefined();
    expect(rows.length).toBeGreaterThan(0);
  });
});

// Falco before 0.32 sends no hostname: host processes are then one `host` row with no host.
describe('host processes without a hostname', () => {
  let hostless: Db;
  beforeAll(() => {
    hostless = openDatabase(':memory:');
    load(hostless, [
      { ns: ago(5), rule: 'h', priority: 'Notice', container: HOST },
      { ns: ago(6), rule: 'h', priority: 'Notice', container: HOST },
      { ns: ago(7), rule: 'c', priority: 'Notice', container: C1 },
    ]);
  });
  afterAll(() => hostless.close());

  it('are one `host` row in the container top list', () => {
    const top = topValues(hostless, range1h, 'container', 10, NOW);
    expect(top.map((r) => [r.value, r.hostname, r.label, r.count])).toEqual([['host', null, 'host', 2], [C1.id, null, 'web', 1]]);
    expect(containerRows(hostless, range1h, 500, NOW).map((r) => [r.containerId, r.hostname, r.count])).toEqual([['host', null, 2], [C1.id, null, 1]]);
  });

  it('are counted in their own series of the container timeline, not in other', () => {
    const line = timeline(hostless, range1h, 'container', 8, NOW);
    const total = (series: string) => sum(line.buckets.map((b) => b.counts[series] ?? 0));
    expect(sum(line.buckets.map((b) => b.total))).toBe(3);
    expect(line.series).toEqual(['host', C1.id]);
    expect(total('host')).toBe(2);
    expect(total(C1.id)).toBe(1);
  });
});
