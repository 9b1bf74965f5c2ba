import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIMENSIONS, DIMENSION_NAMES, type Dimension } from '../filters/dimensions';
import { EventFilter } from '../filters/event-filter';
import type { Db } from './connection';
import { topValues } from './top-values';
import {
  C1,
  C2,
  C3,
  CLEAR,
  countIn,
  DROP,
  DROPPED,
  expectedTop,
  K8S,
  LAST_HOUR,
  NOW,
  openDataSet,
  range1h,
  RS,
  topKey,
  TS,
  WRITE,
} from './aggregates-data-set';

let db: Db;
const count = (filter: Record<string, unknown>, nowMs?: number) => countIn(db, filter, nowMs);

beforeAll(() => {
  ({ db } = openDataSet());
});
afterAll(() => db.close());

describe('topValues', () => {
  const top = (dimension: Dimension, limit = 50, filter = range1h) => topValues(db, filter, dimension, limit, NOW);

  it.each(DIMENSION_NAMES)(
    'counts %s as the alerts in range have it, largest first, with the worst priority',
    (dimension) => {
      const rows = top(dimension);
      expect(rows.map((row) => ({ value: topKey(row), count: row.count, worstPriority: row.worstPriority }))).toEqual(
        expectedTop(LAST_HOUR, dimension),
      );
    },
  );

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
    expect(
      top('container').map((r) => ({ value: r.value, hostname: r.hostname, label: r.label, count: r.count })),
    ).toEqual([
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
    expect(top('rule', 50, EventFilter.parse({ from: '1h', internal: 'only' })).map((r) => [r.value, r.count])).toEqual(
      [[DROPPED, 2]],
    );
    expect(
      top('container', 50, EventFilter.parse({ from: '1h', hostname: ['node-b'] })).map((r) => [topKey(r), r.count]),
    ).toEqual([
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
