import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import { stringifyJson } from '../falco/json';
import { EventFilter } from '../filters/event-filter';
import { importStream } from '../ingest/import-stream';
import { openDatabase, type Db } from './connection';
import { ReadPool } from './read-pool';
import type { ReadAnswer } from './read-worker';
import { READS } from './reads';
import { cachedStatements, MAX_CACHED_STATEMENTS, prepared, takeEvictions } from './statements';

const CORPUS = fileURLToPath(new URL('../../e2e/fixtures/falco/real-events.ndjson', import.meta.url));

let dir: string;
let db: Db;
let pool: ReadPool;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'perch-read-pool-'));
  const file = path.join(dir, 'perch.db');
  db = openDatabase(file);
  await importStream(db, createReadStream(CORPUS));
  // The reader threads find the store as the server's do: from PERCH_DB.
  process.env.PERCH_DB = file;
  pool = new ReadPool(2);
}, 30_000);

afterAll(async () => {
  await pool.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const value = (answer: ReadAnswer) => {
  if (!('value' in answer)) throw new Error(`expected a value, got ${JSON.stringify(answer)}`);
  return answer.value;
};

describe('reads on reader threads', () => {
  const filter = EventFilter.parse({ from: 'all' });

  it('answer what the main thread answers, as JSON text and as values', async () => {
    const nowMs = Date.now();
    const page = { limit: 20 };
    const text = value(await pool.run({ name: 'events', args: [filter, page, nowMs], json: true }));
    expect(text).toBe(stringifyJson(READS.events(db, filter, page, nowMs)));
    // Bounds that do not move with the clock, so that both threads resolve the same range.
    const fixed = EventFilter.parse({ from: '2020-01-01', to: '2030-01-01' });
    const rules = value(await pool.run({ name: 'rules', args: [fixed], json: false }));
    expect(rules).toEqual(READS.rules(db, fixed));
    expect((rules as { rules: unknown[] }).rules.length).toBeGreaterThan(5);
  }, 30_000);

  it('keep their errors: a missing alert is a 404 on either thread', async () => {
    const answer = await pool.run({ name: 'event', args: [999_999], json: true });
    expect(answer).toMatchObject({ domainError: { code: 'not_found' } });
    expect(() => READS.event(db, 999_999)).toThrow(DomainError);
  });

  it('run side by side: every read of a burst is answered, in any order', async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, async (_, i) =>
        value(await pool.run({ name: 'top', args: [filter, 'rule', (i % 5) + 1], json: false })),
      ),
    );
    for (const [i, answer] of answers.entries())
      expect((answer as { values: unknown[] }).values).toHaveLength((i % 5) + 1);
  });

  it('cannot write', async () => {
    // A reader's connection is query_only: even a read that tried to write would fail.
    const { openReader } = await import('./read-worker');
    const reader = openReader(path.join(dir, 'perch.db'));
    expect(() => reader.exec('DELETE FROM events')).toThrow(/readonly|query_only|attempt to write/i);
    reader.close();
  });
});

describe('the statement cache', () => {
  it('keeps at most MAX_CACHED_STATEMENTS, the most recently used', () => {
    const memory = openDatabase(':memory:');
    takeEvictions();
    const first = prepared(memory, 'SELECT 0');
    for (let i = 1; i <= MAX_CACHED_STATEMENTS * 3; i++) {
      prepared(memory, `SELECT ${i}`);
      // Used again and again, so never the least recently used.
      expect(prepared(memory, 'SELECT 0')).toBe(first);
    }
    expect(cachedStatements(memory)).toBe(MAX_CACHED_STATEMENTS);
    // Every statement past the bound pushed one out; the readers collect after so many (read-worker.ts).
    expect(takeEvictions()).toBe(MAX_CACHED_STATEMENTS * 3 + 1 - MAX_CACHED_STATEMENTS);
    expect(takeEvictions()).toBe(0);
    expect(prepared(memory, 'SELECT 1')).not.toBe(prepared(memory, 'SELECT 0'));
    memory.close();
  });
});
