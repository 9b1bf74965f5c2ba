import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FalcoAlert, toStoredAlert, type StoredAlert } from '../falco/alert';
import { parseJson, stringifyJson } from '../falco/json';
import { EventFilter } from '../filters/event-filter';
import { openDatabase, type Db } from './connection';
import { getEventOrThrow, listEvents, rawEventsPage } from './event-queries';
import { writeAlerts } from './event-writer';
import { pruneBatch } from './retention';

// Free text (`q`) through the trigram index of migration 0003, and the scan for one or two
// characters: the alerts a search finds, as the explorer lists them.

const CORPUS = fileURLToPath(new URL('../../e2e/fixtures/falco/real-events.ndjson', import.meta.url));
const corpusLines = readFileSync(CORPUS, 'utf8').split('\n').filter((line) => line !== '');

/** What prepareEntries does with a line: validate, then normalise with the original fields. */
function store(raw: string): StoredAlert {
  const value = parseJson(raw) as Record<string, unknown>;
  return toStoredAlert(FalcoAlert.parse(value), (value.output_fields ?? {}) as Record<string, unknown>, raw);
}

let minute = 0;
/** An alert whose output is `output`, a minute after the previous one. */
function alert(output: string, fields: Record<string, unknown> = {}): StoredAlert {
  minute++;
  return store(stringifyJson({
    time: new Date(Date.UTC(2026, 0, 1) + minute * 60_000).toISOString(),
    rule: 'Test rule',
    priority: 'Warning',
    output,
    hostname: 'node-1',
    output_fields: fields,
  }));
}

let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => db.close());

/** The outputs of every alert a search finds, newest first, through every page. */
function found(q: string, internal: 'exclude' | 'include' = 'exclude'): (string | null)[] {
  const outputs: (string | null)[] = [];
  let cursor: string | undefined;
  do {
    const page = listEvents(db, EventFilter.parse({ from: 'all', q, internal }), { limit: 50, cursor });
    outputs.push(...page.events.map((e) => e.output));
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return outputs;
}

describe('free-text search (q)', () => {
  it('finds any substring, across word boundaries and punctuation', () => {
    writeAlerts(db, [alert('cat read /etc/shadow'), alert('cat read /etc/passwd'), alert('shadowsocks started')]);
    expect(found('etc/sha')).toEqual(['cat read /etc/shadow']);
    expect(found('d /etc/')).toEqual(['cat read /etc/passwd', 'cat read /etc/shadow']);
    expect(found('shadow')).toEqual(['shadowsocks started', 'cat read /etc/shadow']);
    expect(found('adows')).toEqual(['shadowsocks started']);
    expect(found('/etc/group')).toEqual([]);
  });

  it('ignores case in the search and in the alert', () => {
    writeAlerts(db, [alert('Read /ETC/Shadow by Cat'), alert('ÉCOLE Straße')]);
    expect(found('etc/shadow')).toEqual(['Read /ETC/Shadow by Cat']);
    expect(found('SHADOW BY cat')).toEqual(['Read /ETC/Shadow by Cat']);
    expect(found('école')).toEqual(['ÉCOLE Straße']);
    expect(found('STRASSE')).toEqual([]); // lower-casing, not Unicode case folding, as before
    expect(found('straße')).toEqual(['ÉCOLE Straße']);
  });

  it('answers searches of one or two characters, which trigrams cannot', () => {
    writeAlerts(db, [alert('ab'), alert('xyz'), alert('日本語のテキスト'), alert('zq')]);
    expect(found('y')).toEqual(['xyz']);
    expect(found('YZ')).toEqual(['xyz']);
    expect(found('本語')).toEqual(['日本語のテキスト']);
    expect(found('zq')).toEqual(['zq']);
    expect(found('qz')).toEqual([]);
    // The rule and the hostname are part of the text too.
    expect(found('-1')).toHaveLength(4);
    expect(found('本語の')).toEqual(['日本語のテキスト']);
  });

  it('takes quotes, operators and FTS5 syntax as literal text', () => {
    const outputs = [
      'say "hello" now', 'a OR b', 'x AND y', 'NEAR(a b)', 'f(x) = *y', 'col:value', '^start', 'glob* match',
      "it's -1 or 1=1; --", 'plain text', '"', 'a"b',
    ];
    writeAlerts(db, outputs.map((o) => alert(o)));
    const literal = (q: string) => outputs.filter((o) => o.toLowerCase().includes(q.toLowerCase())).reverse();
    for (const q of ['"hello"', '"hello', 'hello" now', ' OR ', 'a or b', 'AND', 'NEAR(', 'NEAR(a b)', '(x)', '*y', 'x) = *', 'col:value', 'l:v',
      '^start', 'glob*', "it's", '1=1; --', '"', 'a"b', '""', '" OR "', 'b" OR "a', '*', '(', ')', 'a"']) {
      expect(found(q), q).toEqual(literal(q));
    }
  });

  it('never finds an alert that retention deleted', () => {
    const old = { ...alert('secret token leaked'), timeNs: BigInt(Date.UTC(2020, 0, 1)) * 1_000_000n };
    writeAlerts(db, [old, alert('secret token rotated')]);
    expect(found('secret token')).toHaveLength(2);
    expect(pruneBatch(db, { retentionMs: 365 * 86_400_000, maxEvents: null }, Date.UTC(2026, 0, 2))).toBe(1);
    expect(found('secret token')).toEqual(['secret token rotated']);
    expect(found('leaked')).toEqual([]);
    expect(found('ak')).toEqual([]);
    // Nor by a rowid reused for a later alert.
    writeAlerts(db, [alert('fresh')]);
    expect(found('leaked')).toEqual([]);
  });

  it('finds what instr() over the lower-cased text found, over the corpus of real alerts', () => {
    const alerts = corpusLines.map(store);
    const textOf = new Map<number, string>();
    writeAlerts(db, alerts).forEach(({ id, duplicate }, i) => duplicate || textOf.set(id, alerts[i]!.searchText));
    // Every alert in the explorer's order (newest first), which the searches keep.
    const ids = listEvents(db, EventFilter.parse({ from: 'all', internal: 'include' }), { limit: 1000 }).events.map((e) => e.id);
    expect(ids).toHaveLength(textOf.size);
    // Substrings of every length from every alert's text, in its own case and upper-cased, and misses.
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 48271) % 2147483647) % n);
    const queries = new Set<string>(['/etc/', 'no-such-text-xyz', 'shell', 'k8s.ns', '=', 'a', '%', '_', '\\', 'terminal shell in', ':', 'é']);
    for (const a of alerts) {
      for (const length of [1, 2, 3, 4, 7, 12, 30]) {
        const at = random(Math.max(1, a.searchText.length - length));
        const q = a.searchText.slice(at, at + length).trim();
        if (q) queries.add(random(2) ? q.toUpperCase() : q);
      }
    }
    expect(queries.size).toBeGreaterThan(400);
    for (const q of queries) {
      const needle = q.trim().toLowerCase();
      const expected = ids.filter((id) => textOf.get(id)!.includes(needle));
      const page = listEvents(db, EventFilter.parse({ from: 'all', internal: 'include', q }), { limit: 1000 });
      expect(page.events.map((e) => e.id), q).toEqual(expected);
    }
  }, 120_000);
});

describe('raw JSON', () => {
  it('comes back byte for byte from the deflated store, in the detail and in the export', () => {
    const lines = [...corpusLines, '{"time":"2026-01-01T00:00:00.000000001Z","rule":"r","priority":"Notice","output":"\\u00e9 \\ud83d\\ude00 \\"q\\"  ","output_fields":{"big":123456789012345678901,"__proto__":{"x":1}}}'];
    const results = writeAlerts(db, lines.map(store));
    results.forEach(({ id }, i) => expect(getEventOrThrow(db, id).raw).toBe(lines[i]));
    const exported = rawEventsPage(db, EventFilter.parse({ from: 'all', internal: 'include' }), { limit: 1000 }).raws;
    expect([...exported].sort()).toEqual([...lines].sort());
    expect(db.prepare("SELECT count(*) AS n FROM event_payloads WHERE typeof(raw) = 'blob'").get()).toEqual({ n: lines.length });
  });
});
