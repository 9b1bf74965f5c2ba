import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventFilter } from '../filters/event-filter';
import { makeAlert, storedAlert } from '../testing/alerts';
import { openDatabase, type Db } from './connection';
import { writeAlerts } from './event-writer';
import { resolveRange } from './time-range';
import { topProcessNames, topValues } from './top-values';

// The top process names read from the names with a large row must be the top names of every row,
// counted once per alert with the worst priority, and be used only where that is certain.

const NOW = Date.parse('2026-03-01T12:00:00Z');
const MINUTE = 60_000;
const PRIORITIES = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'];
// Names of many alerts, each far more common than the next, then names of a few alerts each.
const COMMON = ['systemd', 'containerd-shim', 'bash', 'sh', 'runc', 'java', 'sudo', 'python3', 'node', 'nginx'];

/** Alert `i`, `minutesAgo` before NOW: a chain of one to three names, common ones or a rare one. */
function alert(i: number, minutesAgo: number) {
  const pick = (k: number) =>
    k % 7 === 6 ? `rare-${k % 3_001}` : COMMON[Math.floor(Math.sqrt(k % 100)) % COMMON.length]!;
  const chain = [pick(i), pick(i * 31 + 7), pick(i * 17 + 3)].slice(0, 1 + (i % 3));
  const fields: Record<string, unknown> = { 'container.id': 'host', 'proc.name': chain[0] };
  if (chain[1] !== undefined) fields['proc.pname'] = chain[1];
  if (chain[2] !== undefined) fields['proc.aname[2]'] = chain[2];
  return storedAlert(
    makeAlert({
      time: new Date(NOW - minutesAgo * MINUTE - (i % 53) * 1_000).toISOString(),
      priority: PRIORITIES[(i * 5) % 8],
      rule: i % 89 === 0 ? 'Falco internal: syscall event drop' : 'Rule',
      source: i % 89 === 0 ? 'internal' : 'syscall',
      fields,
      defaultFields: false,
    }),
  );
}

let db: Db;
beforeAll(() => {
  db = openDatabase(':memory:');
  // Two and a half days, oldest first.
  const count = 40_000;
  for (let start = 0; start < count; start += 1_000)
    writeAlerts(
      db,
      Array.from({ length: 1_000 }, (_, k) => alert(start + k, 3_600 - ((start + k) * 3_600) / count)),
    );
  // A day before them: 250 names of 28 alerts each, all Warning.
  const flat = Date.parse('2026-02-24T00:00:00Z');
  writeAlerts(
    db,
    Array.from({ length: 7_000 }, (_, i) =>
      storedAlert(
        makeAlert({
          time: new Date(flat + i * 12_000).toISOString(),
          fields: { 'container.id': 'host', 'proc.name': `flat-${i % 250}` },
          defaultFields: false,
        }),
      ),
    ),
  );
}, 120_000);
afterAll(() => db.close());

const f = (input: Record<string, unknown>) => EventFilter.parse(input);

/** The top names written out in SQL over every alert's ancestry: the plain read to compare with. */
function expected(filter: EventFilter, limit: number) {
  const range = resolveRange(filter, NOW);
  const internal = filter.internal === 'include' ? '' : `AND e.internal = ${filter.internal === 'only' ? 1 : 0}`;
  return db
    .prepare(
      `SELECT p.name AS value, count(DISTINCT e.id) AS count, min(e.priority_rank) AS worstRank
       FROM events e JOIN event_processes p ON p.event_id = e.id
       WHERE p.name IS NOT NULL AND e.time_ns >= @from AND e.time_ns < @to ${internal}
       GROUP BY p.name ORDER BY count DESC, value LIMIT @limit`,
    )
    .all({ from: range.fromNs ?? 0n, to: range.toNs ?? BigInt(NOW) * 1_000_000n, limit });
}

const SERVED: [Record<string, unknown>, number][] = [
  [{ from: '7d' }, 3],
  [{ from: '2d' }, 3],
  [{ from: '2026-02-27T10:07:13.123456789Z', to: '2026-02-28T23:52:01.5Z' }, 3],
  [{ from: '2026-02-27T00:00:00Z', to: '2026-02-28T00:00:00Z' }, 2],
  [{ from: '7d', internal: 'include' }, 3],
];

const NOT_SERVED: [Record<string, unknown>, number][] = [
  // Too few alerts for a large row to say anything.
  [{ from: '1h' }, 3],
  // More names asked for than have a large row.
  [{ from: '7d' }, 50],
  // The last of the names asked for holds too few alerts to rule out a name without a large row.
  // Many names, none far ahead: the last of the top three is too small to rule out the rest.
  [{ from: '2026-02-24T00:00:00Z', to: '2026-02-25T00:00:00Z' }, 3],
];

describe('top process names from the names with a large row', () => {
  it.each(SERVED)('are taken for %j, top %i', (input, limit) => {
    const filter = f(input);
    expect(topProcessNames(db, filter, resolveRange(filter, NOW), limit, {})).toEqual(expected(filter, limit));
  });

  it.each(NOT_SERVED)('are not taken for %j, top %i', (input, limit) => {
    const filter = f(input);
    expect(topProcessNames(db, filter, resolveRange(filter, NOW), limit, {})).toBeNull();
  });

  it.each([...SERVED, ...NOT_SERVED])('leave topValues as the plain read gives it: %j, top %i', (input, limit) => {
    const filter = f(input);
    const rows = expected(filter, limit) as { value: string; count: number }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(topValues(db, filter, 'proc', limit, NOW).map(({ value, count }) => ({ value, count }))).toEqual(
      rows.map(({ value, count }) => ({ value, count })),
    );
  });
});
