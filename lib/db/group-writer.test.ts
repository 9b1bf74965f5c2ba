import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventFilter } from '../filters/event-filter';
import { DEFAULT_GROUPING, GROUPING_NAMES, type GroupQuery } from '../triage/groupings';
import { NOW, openDataSet } from './aggregates-data-set';
import type { Db } from './connection';
import { backfillGroups, groupsReady } from './group-writer';
import { listGroups } from './groups';
import { pruneBatch } from './retention';

const query = (groupBy = DEFAULT_GROUPING): GroupQuery => ({ groupBy, sort: 'count', status: [], limit: 1000 });
const all = EventFilter.parse({ from: 'all' });
const count = (db: Db, table: string) => db.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck().get()!;

let db: Db;
beforeEach(() => {
  ({ db } = openDataSet());
});
afterEach(() => db.close());

describe('grouping the alerts stored before migration 0017', () => {
  it('gives every old alert the group the writer would have, newest first, batch by batch', () => {
    const written = GROUPING_NAMES.map((groupBy) => listGroups(db, all, query(groupBy), NOW));
    // As the migration leaves a store it finds full: no alert grouped, all of them to do.
    db.exec(`UPDATE events SET group_id = NULL; DELETE FROM group_atoms; DELETE FROM group_counts_12h;
      DELETE FROM group_places_12h; UPDATE group_backfill SET from_id = (SELECT max(id) + 1 FROM events)`);
    expect(groupsReady(db)).toBe(false);
    expect(listGroups(db, all, query(), NOW).groups).toEqual([]);

    const total = count(db, 'events');
    expect(backfillGroups(db, 10)).toBe(10);
    const newest = db.prepare<[], number>('SELECT min(id) FROM events WHERE group_id IS NOT NULL').pluck().get()!;
    expect(newest).toBe(total - 9);
    let steps = 1;
    while (backfillGroups(db, 10) > 0) steps++;
    expect(steps).toBe(Math.ceil(total / 10));
    expect(groupsReady(db)).toBe(true);
    expect(count(db, 'events WHERE group_id IS NULL')).toBe(0);
    expect(GROUPING_NAMES.map((groupBy) => listGroups(db, all, query(groupBy), NOW))).toEqual(written);
  });
});

describe('retention', () => {
  it('takes deleted alerts off their groups and drops the atoms left without alerts', () => {
    const before = listGroups(db, all, query(), NOW).groups;
    const old = before.find((g) => g.fields.rule === 'Old rule')!;
    expect(old.count).toBe(1);
    const atoms = count(db, 'group_atoms');
    // A day's retention removes the alert of two days ago.
    expect(pruneBatch(db, { retentionMs: 86_400_000, maxEvents: null }, NOW)).toBe(1);
    const after = listGroups(db, all, query(), NOW).groups;
    expect(after.map((g) => g.key)).not.toContain(old.key);
    expect(after).toEqual(listGroups(db, all, query(), NOW, { rawOnly: true }).groups);
    expect(count(db, 'group_atoms')).toBe(atoms - 1);
    expect(count(db, 'group_places_12h WHERE half_day < (SELECT min(time_ns) / 43200000000000 FROM events)')).toBe(0);

    // Deleting part of a group's alerts lowers its count.
    const busiest = after[0]!;
    pruneBatch(db, { retentionMs: null, maxEvents: count(db, 'events') - 3 }, NOW);
    const remaining = listGroups(db, all, query(), NOW).groups;
    expect(remaining).toEqual(listGroups(db, all, query(), NOW, { rawOnly: true }).groups);
    expect(remaining.reduce((s, g) => s + g.count, 0)).toBe(count(db, 'events WHERE internal = 0'));
    expect(remaining.find((g) => g.key === busiest.key)?.count).toBeLessThanOrEqual(busiest.count);
  });
});
