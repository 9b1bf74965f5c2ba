import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FalcoAlert, toStoredAlert } from '../falco/alert';
import { stringifyJson } from '../falco/json';
import { openDatabase, type Db } from './connection';
import { writeAlerts } from './event-writer';
import { STATS_CHECK_EVERY } from './planner-stats';

// What FTS5 runs to drop merged segments of the word index.
const SEGMENT_DELETE = 'SELECT count(*) FROM event_search_data WHERE id >= ? AND id <= ?';
const planOf = (db: Db) => (db.prepare(`EXPLAIN QUERY PLAN ${SEGMENT_DELETE}`).all(1, 2) as { detail: string }[]).map((row) => row.detail).join('; ');

function alertNumber(i: number) {
  const value = {
    time: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
    rule: 'Terminal shell in container',
    priority: 'Notice',
    source: 'syscall',
    output: `A shell was spawned in a container (user=root shell=bash pid=${i} container_id=c${i % 50} cmdline=bash -c echo ${i})`,
    output_fields: { 'proc.pid': i, 'proc.name': 'bash', 'container.id': `c${i % 50}`, 'proc.cmdline': `bash -c echo ${i}` },
  };
  return toStoredAlert(FalcoAlert.parse(value), value.output_fields, stringifyJson(value));
}

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'perch-stats-'));
  db = openDatabase(path.join(dir, 'store.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

it('keeps the word index\'s statistics in step as the store grows, so dropping a merged segment reads a range, not the whole index', () => {
  // A new store's statistics say the index has two rows, and the planner scans it for a range.
  expect(planOf(db)).toMatch(/^SCAN event_search_data/);
  for (let start = 0; start < STATS_CHECK_EVERY; start += 1000) {
    writeAlerts(db, Array.from({ length: 1000 }, (_, i) => alertNumber(start + i)));
  }
  expect(planOf(db)).toMatch(/^SEARCH event_search_data USING INTEGER PRIMARY KEY/);
});
