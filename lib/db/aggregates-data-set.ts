// The hand-made data set the aggregate tests share (lib/db/*.test.ts): every expected number in
// them is known, or computed from these specs with plain array arithmetic, independently of the SQL.
import { expect } from 'vitest';
import { CHAIN_SEPARATOR, PID_SEPARATOR } from '../falco/ancestry';
import { findPriority, PRIORITIES } from '../falco/priorities';
import type { Dimension } from '../filters/dimensions';
import { EventFilter } from '../filters/event-filter';
import { prepareEntries } from '../ingest/prepare';
import { splitBody } from '../ingest/split-body';
import type { TopValue } from '../stats/types';
import { openDatabase, type Db } from './connection';
import { listEvents } from './event-queries';
import { writeAlerts } from './event-writer';

export type Level = string | readonly [string, number] | null;
export interface Place {
  id: string;
  name?: string;
  image?: string;
  tag?: string;
  ns?: string;
  pod?: string;
}
export interface Spec {
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

export const NS_PER_MS = 1_000_000n;
export const MINUTE = 60_000;
export const NOW = Date.parse('2026-03-01T12:00:00Z');

/** Nanoseconds `minutes` before NOW, plus `extraNs`. */
export const ago = (minutes: number, extraNs = 0) => BigInt(NOW - minutes * MINUTE) * NS_PER_MS + BigInt(extraNs);
export const isoNs = (ns: bigint) =>
  `${new Date(Number(ns / NS_PER_MS)).toISOString().slice(0, 19)}.${(ns % 1_000_000_000n).toString().padStart(9, '0')}Z`;
const rankOf = (priority: string) => findPriority(priority)!.rank;
export const PRIORITY_NAMES = PRIORITIES.map((p) => p.name);

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
export function load(db: Db, specs: readonly Spec[]): string[] {
  const texts = specs.map((spec, i) => alertText(spec, i + 1)); // `(alert N)` names the id
  const { valid, issues } = prepareEntries(splitBody(texts.join('\n')).entries);
  expect(issues).toEqual([]);
  const written = writeAlerts(
    db,
    valid.map((entry) => entry.alert),
  );
  expect(written.map((w) => w.id)).toEqual(specs.map((_, i) => i + 1));
  return texts;
}

export const key = (...levels: (string | [string, number])[]) =>
  levels
    .map((level) => (typeof level === 'string' ? level : `${level[0]}${PID_SEPARATOR}${level[1]}`))
    .join(CHAIN_SEPARATOR);

// The main data set: two hosts, three containers, host processes on both hosts, Kubernetes audit
// alerts (no container) on both hosts, internal events; the last hour, the hour before, and older.

export const C1: Place = { id: 'aaaaaaaaaaa1', name: 'web', image: 'nginx', tag: '1.25', ns: 'prod', pod: 'web-1' };
export const C2: Place = { id: 'bbbbbbbbbbb2', name: 'db', image: 'postgres', tag: '16', ns: 'prod', pod: 'db-0' };
export const C3: Place = {
  id: 'ccccccccccc3',
  name: 'worker',
  image: 'registry.local:5000/team/worker',
  tag: 'v2',
  ns: 'batch',
  pod: 'worker-7',
};
// Falco 0.41+: a host's image is "" (read as no image).
export const HOST: Place = { id: 'host', name: 'host', image: '', tag: '' };

export const TS = 'Terminal shell in container';
export const RS = 'Read sensitive file untrusted';
export const DROP = 'Drop and execute new binary in container';
export const K8S = 'Disallowed K8s User';
export const CLEAR = 'Clear Log Activities';
export const WRITE = 'Write below /etc (custom)';
export const DROPPED = 'Falco internal: syscall event drop';

const TS_TAGS = ['T1059', 'container', 'mitre_execution', 'shell'];
const RS_TAGS = ['T1555', 'container', 'filesystem', 'host', 'mitre_credential_access'];
const DROP_TAGS = ['T1059.004', 'container', 'mitre_execution'];
const CLEAR_TAGS = ['T1070', 'container', 'filesystem', 'mitre_defense_evasion'];
const WRITE_TAGS = ['filesystem', 'host', 'mitre_persistence'];

let extra = 0;
const t = (minutes: number, exact = false) => ago(minutes, exact ? 0 : 1_000 + extra++);
const ts = (minutes: number, place: Place, host: string, chain: Level[], exact = false): Spec => ({
  ns: t(minutes, exact),
  rule: TS,
  priority: 'Notice',
  source: 'syscall',
  hostname: host,
  container: place,
  user: place === C2 ? 'postgres' : 'root',
  chain,
  tags: TS_TAGS,
});
const rs = (
  minutes: number,
  place: Place,
  host: string,
  priority = 'Warning',
  chain: Level[] = ['cat', 'sudo', 'sshd', 'systemd'],
): Spec => ({
  ns: t(minutes),
  rule: RS,
  priority,
  source: 'syscall',
  hostname: host,
  container: place,
  user: 'root',
  chain,
  tags: RS_TAGS,
});
const drop = (minutes: number, chain: Level[]): Spec => ({
  ns: t(minutes),
  rule: DROP,
  priority: 'Critical',
  source: 'syscall',
  hostname: 'node-b',
  container: C3,
  user: 'nobody',
  chain,
  tags: DROP_TAGS,
});
const k8s = (minutes: number, host: string): Spec => ({
  ns: t(minutes),
  rule: K8S,
  priority: 'Warning',
  source: 'k8s_audit',
  hostname: host,
  user: 'system:anonymous',
  tags: ['k8s'],
  fields: { 'ka.target.namespace': 'kube-system', 'ka.verb': 'get' },
});
const internal = (minutes: number): Spec => ({
  ns: t(minutes),
  rule: DROPPED,
  priority: 'Debug',
  source: 'internal',
  hostname: 'node-a',
  fields: { n_drops: 12 },
});

const SHELL: Level[] = ['bash', 'containerd-shim'];
const SUBSHELL: Level[] = ['sh', 'bash', 'containerd-shim'];

export const SPECS: Spec[] = [
  // The last hour: 22 detections, 2 internal events.
  ts(5, C1, 'node-a', SHELL),
  ts(10, C1, 'node-a', SHELL),
  ts(15, C1, 'node-a', SHELL),
  ts(20, C1, 'node-a', SUBSHELL),
  ts(60, C1, 'node-a', SUBSHELL, true), // exactly at the start of the range: inside it
  ts(30, C2, 'node-b', [
    ['bash', 200],
    ['containerd-shim', 10],
  ]),
  ts(31, C2, 'node-b', [
    ['bash', 201],
    ['containerd-shim', 10],
  ]),
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
  {
    ns: t(35),
    rule: CLEAR,
    priority: 'Warning',
    source: 'syscall',
    hostname: 'node-b',
    container: C2,
    user: 'postgres',
    chain: ['truncate', 'bash', 'containerd-shim'],
    tags: CLEAR_TAGS,
  },
  {
    ns: t(55),
    rule: WRITE,
    priority: 'Error',
    source: 'syscall',
    hostname: 'node-a',
    container: HOST,
    user: 'root',
    chain: ['tee', 'sudo', 'sshd', 'systemd'],
    tags: WRITE_TAGS,
  },
  internal(14),
  internal(16),
  // The hour before: 3 detections, 1 internal event.
  ts(90, C1, 'node-a', SHELL),
  ts(120, C1, 'node-a', SHELL, true), // exactly at the start of the previous range
  rs(100, HOST, 'node-a'),
  internal(110),
  // Two days ago.
  {
    ns: t(2 * 24 * 60),
    rule: 'Old rule',
    priority: 'Notice',
    source: 'syscall',
    hostname: 'node-a',
    container: C1,
    user: 'root',
    chain: SHELL,
    tags: ['container'],
  },
];

export interface Alert extends Spec {
  id: number;
  internal: boolean;
}
export const ALERTS: Alert[] = SPECS.map((spec, i) => ({ ...spec, id: i + 1, internal: spec.source === 'internal' }));
export const FROM_1H = ago(60);
const inLastHour = (a: Alert) => a.ns >= FROM_1H && !a.internal;
export const LAST_HOUR = ALERTS.filter(inLastHour);
export const sum = (list: readonly number[]) => list.reduce((s, n) => s + n, 0);
export const byBinary = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/** The values an alert has for a dimension, as the dashboard should count them. */
function valuesOf(a: Alert, dimension: Dimension): string[] {
  const c = a.container;
  const none = (value: string | undefined | null) => [
    value === undefined || value === null || value === '' ? '(none)' : value,
  ];
  switch (dimension) {
    case 'rule':
      return [a.rule];
    case 'priority':
      return [a.priority];
    case 'source':
      return none(a.source);
    case 'hostname':
      return none(a.hostname);
    case 'container':
      return [c === undefined ? '(none)' : c.id === 'host' ? `host ${a.hostname}` : c.id];
    case 'image':
      return none(c?.image ? `${c.image}${c.tag ? `:${c.tag}` : ''}` : null);
    case 'namespace':
      return none(c?.ns ?? (a.fields?.['ka.target.namespace'] as string | undefined));
    case 'pod':
      return none(c?.pod);
    case 'user':
      return none(a.user);
    case 'proc': {
      // A process counts every alert it appears in, as the process or as an ancestor (like the `proc` filter).
      const names = (a.chain ?? []).map((level) =>
        level === null || level === undefined ? null : typeof level === 'string' ? level : level[0],
      );
      return [...new Set(names.filter((name): name is string => name !== null && name !== ''))];
    }
    case 'tag':
      return [...(a.tags ?? [])];
    case 'tactic':
      return (a.tags ?? []).filter((tag) => tag.startsWith('mitre_'));
    case 'technique':
      return (a.tags ?? []).filter((tag) => /^T\d{4}/.test(tag));
  }
}

export function expectedTop(alerts: readonly Alert[], dimension: Dimension) {
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
export const topKey = (row: TopValue) => (row.value === 'host' ? `host ${row.hostname ?? ''}`.trim() : row.value);

export const range1h = EventFilter.parse({ from: '1h' });

/** A store holding the hand-made data set; its texts are the alerts as sent. */
export function openDataSet(): { db: Db; texts: string[] } {
  const db = openDatabase(':memory:');
  return { db, texts: load(db, SPECS) };
}

/** How many alerts the explorer lists for a filter. */
export const countIn = (db: Db, filter: Record<string, unknown>, nowMs = NOW) =>
  listEvents(db, EventFilter.parse(filter), { limit: 1000 }, nowMs).events.length;
