import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FalcoAlert, toStoredAlert } from '../falco/alert';
import { stringifyJson } from '../falco/json';
import { EventFilter } from '../filters/event-filter';
import { openDatabase, type Db } from './connection';
import { listEvents } from './event-queries';
import { writeAlerts } from './event-writer';
import { filterToSql } from './filter-sql';
import { pageSlices } from './page-slices';
import { pruneAll } from './retention';

// A page read from the hours the counts name must hold exactly what the plain walk of the range
// holds: the expected ids come from one plain SQL query over `events`, not from the page code.

const T0 = Date.UTC(2026, 10, 1);
const MINUTE = 60_000;
const NOW = T0 + 10 * 24 * 60 * MINUTE;
const ALERTS = 2_880; // one every five minutes for ten days

/** Alert `i`: common values everywhere, a few rare ones at chosen places, some without values. */
function alertNumber(i: number) {
  const rare = i % 997 === 0; // 3 alerts, days apart
  const fields: Record<string, unknown> = {
    'proc.name': rare ? 'nc' : 'cat',
    'proc.pname': 'bash',
    'proc.aname[2]': i % 3 === 0 ? 'sshd' : 'containerd-shim',
    'user.name': rare ? 'mallory' : i % 7 === 0 ? null : 'root',
    'fd.name': '/etc/shadow',
  };
  if (i % 11 !== 0) {
    Object.assign(fields, {
      'container.id': rare ? 'ffeeddccbbaa' : `c0000000000${i % 4}`,
      'container.name': rare ? 'odd-one' : `web-${i % 4}`,
      'container.image.repository': rare ? 'registry.example/rare' : 'nginx',
      'container.image.tag': i % 2 === 0 ? '1.27' : 'latest',
      'k8s.ns.name': 'shop',
      'k8s.pod.name': rare ? 'odd-pod-1' : `web-${i % 4}-pod`,
    });
  }
  const value = {
    time: new Date(T0 + i * 5 * MINUTE).toISOString(),
    rule: rare ? 'Netcat Remote Code Execution in Container' : 'Read sensitive file untrusted',
    priority: ['Warning', 'Notice', 'Critical', 'Error'][i % 4],
    source: 'syscall',
    output: `alert ${i}`,
    output_fields: fields,
    tags: rare ? ['T1059', 'mitre_execution'] : ['filesystem'],
  };
  return toStoredAlert(FalcoAlert.parse(value), fields, stringifyJson(value));
}

/** One of BURST alerts a second apart on the fifth day, tagged `burst`: a tag too common to look each alert up. */
function burstAlert(i: number) {
  const fields = { 'proc.name': 'curl', 'proc.pname': 'sh', 'user.name': 'root' };
  const value = {
    time: new Date(T0 + 5 * 24 * 60 * MINUTE + i * 1000 + 500).toISOString(),
    rule: 'Launch Suspicious Network Tool in Container',
    priority: 'Notice',
    source: 'syscall',
    output: `burst ${i}`,
    output_fields: fields,
    tags: ['burst'],
  };
  return toStoredAlert(FalcoAlert.parse(value), fields, stringifyJson(value));
}
const BURST = 5_200;

let db: Db;
beforeAll(() => {
  db = openDatabase(':memory:');
  writeAlerts(
    db,
    Array.from({ length: ALERTS }, (_, i) => alertNumber(i)),
  );
  writeAlerts(
    db,
    Array.from({ length: BURST }, (_, i) => burstAlert(i)),
  );
});
afterAll(() => db.close());

function expectedIds(input: Record<string, unknown>): number[] {
  const { where, params } = filterToSql(EventFilter.parse(input), NOW);
  return (
    db.prepare(`SELECT e.id FROM events e ${where} ORDER BY e.time_ns DESC, e.id DESC`).all(params) as { id: number }[]
  ).map((row) => row.id);
}

/** Every page of the filter, `limit` at a time, by cursor. */
function pagedIds(input: Record<string, unknown>, limit: number): number[] {
  const filter = EventFilter.parse(input);
  const ids: number[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 10_000; guard++) {
    const page = listEvents(db, filter, { limit, cursor }, NOW);
    ids.push(...page.events.map((event) => event.id));
    if (page.nextCursor === null) return ids;
    cursor = page.nextCursor;
  }
  throw new Error('no last page');
}

const RARE_AND_ABSENT: Record<string, unknown>[] = [
  { user: ['mallory'] },
  { user: ['nobody'] },
  { user: ['(none)'] },
  { user: ['mallory', 'nobody'] },
  { image: ['registry.example/rare'] },
  { image: ['registry.example/rare:1.27'] },
  { image: ['nope'] },
  { container: ['ffeeddccbbaa'] },
  { container: ['odd-one'] },
  { container: ['absent'] },
  { pod: ['odd-pod-1'] },
  { pod: ['gone-pod'] },
  { rule: ['Netcat Remote Code Execution in Container'] },
  { hostname: ['no-such-host'] },
  { tag: ['T1059'] },
  { tag: ['no-such-tag'] },
  { tag: ['T1059', 'no-such-tag'] },
  { proc: ['nc'] },
  { proc: ['no-such-process'] },
  { proc: ['nc'], user: ['mallory'] },
  { proc: ['nc'], user: ['root'] },
  { tag: ['T1059'], priority: ['Critical'] },
  { user: ['mallory'], minPriority: 'Warning' },
  { container: ['(none)'], user: ['mallory'] },
  // Chains are root first: `sshd` leads a third of the alerts, `containerd-shim` the rest.
  { chain: ['sshd\u001fbash\u001fnc'] },
  { chain: ['sshd\u001fbas'] },
  { chain: ['no-such-chain'] },
  { chain: ['sshd'], user: ['mallory'] },
];
// Values of thousands of alerts, paged by larger pages.
const COMMON: Record<string, unknown>[] = [
  { tag: ['burst'] },
  { tag: ['burst'], priority: ['Warning'] },
  { tag: ['burst', 'T1059'] },
  { proc: ['curl'] },
  { chain: ['sshd'] },
  { chain: ['containerd-shim\u001fbash'] },
  { chain: ['sshd', 'no-such-chain'] },
  { chain: ['sshd'], tag: ['burst'] },
  { chain: ['containerd-shim'], tag: ['burst', 'T1059'] },
];
const RANGES: Record<string, unknown>[] = [
  {},
  { from: 'all' },
  { from: '3d' },
  { from: '2026-11-04T07:30:00Z', to: '2026-11-09T12:00:00.5Z' },
];

describe('pages read from the hours the counts name', () => {
  it('are guided for rare and absent values, and not for common ones', () => {
    const slices = (input: Record<string, unknown>) => pageSlices(db, EventFilter.parse(input), NOW);
    expect(slices({ from: 'all', tag: ['no-such-tag'] })).toEqual([]);
    expect(slices({ from: 'all', tag: ['T1059'] })).toHaveLength(3);
    expect(slices({ from: 'all', proc: ['nc'] })).toHaveLength(3);
    expect(slices({ from: 'all', tag: ['burst'] })).toHaveLength(2);
    expect(slices({ from: '4d', user: ['(none)'], tag: ['burst'] })).toEqual([]);
    expect(slices({ from: 'all', proc: ['cat'] })).toBeNull();
    // Nothing the counts can judge (a chain alone, free text, time and priority alone), or a value
    // with an index of its own, which leads the page to its alerts already.
    for (const input of [
      { chain: ['bash'] },
      { q: 'alert' },
      { minPriority: 'Error' },
      { rule: ['Netcat Remote Code Execution in Container'] },
      { hostname: ['none'], tag: ['T1059'] },
      { user: ['mallory'] },
      { image: ['nope'] },
      { pod: ['gone-pod'] },
      { container: ['absent'] },
    ]) {
      expect(slices(input), JSON.stringify(input)).toBeNull();
    }
  });

  it('hold exactly the alerts of the plain walk, page after page, in every range', () => {
    for (const range of RANGES) {
      for (const values of RARE_AND_ABSENT) {
        const input = { ...range, ...values };
        const expected = expectedIds(input);
        for (const limit of [1, 2, 50])
          expect(pagedIds(input, limit), `${JSON.stringify(input)} by ${limit}`).toEqual(expected);
      }
    }
    // The table holds rare values that some ranges have and some do not.
    expect(expectedIds({ from: 'all', user: ['mallory'] })).toHaveLength(3);
    expect(expectedIds({ from: '3d', user: ['mallory'] })).toHaveLength(0);
  }, 60_000);

  it('hold exactly the alerts of the plain walk for values of thousands of alerts', () => {
    for (const range of RANGES) {
      for (const values of COMMON) {
        const input = { ...range, ...values };
        const expected = expectedIds(input);
        for (const limit of [200, 2_000])
          expect(pagedIds(input, limit), `${JSON.stringify(input)} by ${limit}`).toEqual(expected);
      }
    }
    expect(expectedIds({ from: 'all', tag: ['burst'] })).toHaveLength(BURST);
  }, 60_000);

  it('start below a cursor', () => {
    const filter = EventFilter.parse({ from: 'all', user: ['mallory'] });
    const all = expectedIds({ from: 'all', user: ['mallory'] });
    const first = listEvents(db, filter, { limit: 1 }, NOW);
    expect(first.events.map((event) => event.id)).toEqual(all.slice(0, 1));
    const rest = listEvents(db, filter, { limit: 10, cursor: first.nextCursor! }, NOW);
    expect(rest.events.map((event) => event.id)).toEqual(all.slice(1));
    expect(rest.nextCursor).toBeNull();
  });

  it('follow the counts when retention deletes alerts', async () => {
    const copy = openDatabase(':memory:');
    writeAlerts(
      copy,
      Array.from({ length: ALERTS }, (_, i) => alertNumber(i)),
    );
    await pruneAll(copy, { retentionMs: null, maxEvents: 1_000 }, NOW);
    const filter = EventFilter.parse({ from: 'all', tag: ['T1059'] });
    // Two of the three rare alerts were among the oldest: their hours are gone from the counts.
    expect(pageSlices(copy, filter, NOW)).toHaveLength(1);
    expect(listEvents(copy, filter, { limit: 10 }, NOW).events).toHaveLength(1);
    copy.close();
  });
});
