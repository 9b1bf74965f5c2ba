import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredAlert } from '../falco/alert';
import { parseJson } from '../falco/json';
import { EventFilter } from '../filters/event-filter';
import { openDatabase, type Db } from './connection';
import { getEventOrThrow, listEvents, rawEventsPage } from './event-queries';
import { assertSearchAnswerable, MAX_PREFIX_PAGES, prefixListPages, tooManyWordsMessage } from './event-search';
import { writeAlerts } from './event-writer';
import { pruneBatch } from './retention';
import { storedAlert, storedLine } from '../testing/alerts';

// Free text (`q`) through the word index of migration 0005: the alerts a search finds, as the
// explorer lists them.

const CORPUS = fileURLToPath(new URL('../../e2e/fixtures/falco/real-events.ndjson', import.meta.url));
const corpusLines = readFileSync(CORPUS, 'utf8')
  .split('\n')
  .filter((line) => line !== '');

let minute = 0;
/** An alert whose output is `output`, a minute after the previous one. */
function alert(output: string, fields: Record<string, unknown> = {}): StoredAlert {
  minute++;
  return storedAlert({
    time: new Date(Date.UTC(2026, 0, 1) + minute * 60_000).toISOString(),
    rule: 'Test rule',
    priority: 'Warning',
    output,
    hostname: 'node-1',
    output_fields: fields,
  });
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

/** The meaning of `q`, written out plainly: its words appear in the text next to each other, in order. */
function matches(text: string, q: string): boolean {
  const words = (s: string) => s.toLowerCase().match(/[\p{L}\p{N}\p{Co}]+/gu) ?? [];
  const prefix = /\*$/.test(q);
  const wanted = words(q);
  const have = words(text);
  if (wanted.length === 0) return false;
  return have.some((_, at) =>
    wanted.every((word, i) => {
      const candidate = have[at + i];
      if (candidate === undefined) return false;
      return prefix && i === wanted.length - 1 ? candidate.startsWith(word) : candidate === word;
    }),
  );
}

describe('free-text search (q)', () => {
  it('finds whole words in order, across punctuation; a trailing * makes the last one a prefix', () => {
    writeAlerts(db, [
      alert('cat read /etc/shadow'),
      alert('cat read /etc/passwd'),
      alert('shadowsocks started'),
      alert('to 10.0.0.12'),
      alert('to 10.0.0.1:443'),
    ]);
    expect(found('/etc/shadow')).toEqual(['cat read /etc/shadow']);
    expect(found('etc shadow')).toEqual(['cat read /etc/shadow']);
    expect(found('read /etc/')).toEqual(['cat read /etc/passwd', 'cat read /etc/shadow']);
    expect(found('shadow')).toEqual(['cat read /etc/shadow']);
    expect(found('shadow*')).toEqual(['shadowsocks started', 'cat read /etc/shadow']);
    expect(found('etc/sha*')).toEqual(['cat read /etc/shadow']);
    expect(found('10.0.0.1')).toEqual(['to 10.0.0.1:443']);
    expect(found('10.0.0.1*')).toEqual(['to 10.0.0.1:443', 'to 10.0.0.12']);
    // Not a substring, not out of order, not apart.
    expect(found('adows')).toEqual([]);
    expect(found('shadow etc')).toEqual([]);
    expect(found('cat /etc')).toEqual([]);
    expect(found('/etc/group')).toEqual([]);
  });

  it('ignores case in the search and in the alert', () => {
    writeAlerts(db, [alert('Read /ETC/Shadow by Cat'), alert('ÉCOLE Straße')]);
    expect(found('etc/shadow')).toEqual(['Read /ETC/Shadow by Cat']);
    expect(found('SHADOW BY cat')).toEqual(['Read /ETC/Shadow by Cat']);
    expect(found('école')).toEqual(['ÉCOLE Straße']);
    expect(found('straße')).toEqual(['ÉCOLE Straße']);
    expect(found('ecole')).toEqual([]); // accents are kept, as typed
  });

  it('searches the rule, the hostname, tags and field values too', () => {
    writeAlerts(db, [alert('plain', { 'proc.cmdline': 'nc -l 4444', 'fd.name': '/tmp/x.sock' })]);
    for (const q of ['test rule', 'node-1', 'nc -l 4444', 'x.sock']) expect(found(q), q).toEqual(['plain']);
  });

  it('takes quotes, operators and FTS5 syntax as words and punctuation', () => {
    const outputs = [
      'say "hello" now',
      'a OR b',
      'x AND y',
      'NEAR(a b)',
      'f(x) = *y',
      'col:value',
      '^start',
      'glob* match',
      "it's -1 or 1=1; --",
      'plain text',
      'a"b',
      'a b',
    ];
    writeAlerts(
      db,
      outputs.map((o) => alert(o)),
    );
    for (const q of [
      '"hello"',
      '"hello',
      'hello" now',
      ' OR ',
      'a or b',
      'AND',
      'NEAR(',
      'NEAR(a b)',
      '(x)',
      '*y',
      'x) = *',
      'col:value',
      'l:v',
      '^start',
      'glob*',
      'glob* m*',
      "it's",
      '1=1; --',
      'a"b',
      '" OR "',
      'b" OR "a',
      'a*',
      'NEAR(a b',
      '-1 or',
      'x AND',
    ]) {
      expect(found(q), q).toEqual(outputs.filter((o) => matches(`${o} test rule node-1`, q)).reverse());
    }
  });

  it('refuses a search with no letter or digit, which has no words to look for', () => {
    for (const q of ['/', '*', '"', '--', ' . ']) expect(EventFilter.safeParse({ q }).success, q).toBe(false);
    expect(EventFilter.safeParse({ q: '  ' }).success).toBe(true); // blank: no search at all
  });

  it('never finds an alert that retention deleted', () => {
    const old = { ...alert('secret token leaked'), timeNs: BigInt(Date.UTC(2020, 0, 1)) * 1_000_000n };
    writeAlerts(db, [old, alert('secret token rotated')]);
    expect(found('secret token')).toHaveLength(2);
    expect(pruneBatch(db, { retentionMs: 365 * 86_400_000, maxEvents: null }, Date.UTC(2026, 0, 2))).toBe(1);
    expect(found('secret token')).toEqual(['secret token rotated']);
    expect(found('leaked')).toEqual([]);
    expect(found('lea*')).toEqual([]);
    // Nor by a rowid reused for a later alert.
    writeAlerts(db, [alert('fresh')]);
    expect(found('leaked')).toEqual([]);
  });

  it('pages a common search (walking the time index) as it pages a rare one (looking matches up)', () => {
    // More matches than FEW_SEARCH_MATCHES in lib/db/event-queries.ts, arriving out of time order.
    const alerts = Array.from({ length: 5_200 }, (_, i) => alert(i % 1_000 === 7 ? `common rare ${i}` : `common ${i}`));
    writeAlerts(db, [...alerts].reverse());
    const common = found('common');
    expect(common).toHaveLength(5_200);
    expect(common.slice(0, 3)).toEqual(['common 5199', 'common 5198', 'common 5197']);
    expect(found('common rare')).toEqual([
      'common rare 5007',
      'common rare 4007',
      'common rare 3007',
      'common rare 2007',
      'common rare 1007',
      'common rare 7',
    ]);
    expect(found('common')).toEqual(
      alerts
        .map((a) => parseJson(a.raw) as { output: string })
        .map((a) => a.output)
        .reverse(),
    );
  }, 30_000); // thousands of alerts written and paged through: slow on a loaded machine

  it('finds exactly the alerts whose words match, over the corpus of real alerts', () => {
    const alerts = corpusLines.map((line) => storedLine(line));
    const textOf = new Map<number, string>();
    writeAlerts(db, alerts).forEach(({ id, duplicate }, i) => {
      if (!duplicate) textOf.set(id, alerts[i]!.searchText);
    });
    // Every alert in the explorer's order (newest first), which the searches keep.
    const ids = listEvents(db, EventFilter.parse({ from: 'all', internal: 'include' }), { limit: 1000 }).events.map(
      (e) => e.id,
    );
    expect(ids).toHaveLength(textOf.size);
    // Runs of one to six words from every alert's text, with the text's own punctuation, in its
    // own case or upper-cased, whole or with the last word cut short and starred; and misses.
    let seed = 7;
    const random = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    const queries = new Set<string>([
      '/etc/',
      'no-such-text-xyz',
      'shell',
      'k8s.ns',
      'terminal shell in',
      'sh*',
      'k8s*',
      'e*',
      '1*',
    ]);
    for (const a of alerts) {
      const words = [...a.searchText.matchAll(/[\p{L}\p{N}\p{Co}]+/gu)];
      for (const length of [1, 2, 3, 6]) {
        if (words.length < length) continue;
        const first = random(words.length - length + 1);
        const last = words[first + length - 1]!;
        let q = a.searchText.slice(words[first]!.index, last.index! + last[0].length);
        if (random(3) === 0) q = `${q.slice(0, q.length - random(last[0].length))}*`;
        queries.add(random(2) ? q.toUpperCase() : q);
      }
    }
    expect(queries.size).toBeGreaterThan(250);
    let hits = 0;
    for (const q of queries) {
      const expected = ids.filter((id) => matches(textOf.get(id)!, q));
      hits += expected.length;
      const page = listEvents(db, EventFilter.parse({ from: 'all', internal: 'include', q }), { limit: 1000 });
      expect(
        page.events.map((e) => e.id),
        q,
      ).toEqual(expected);
    }
    expect(hits).toBeGreaterThan(queries.size); // the searches found things, not only nothing
  }, 120_000);
});

describe('raw JSON', () => {
  it('comes back byte for byte from the deflated store, in the detail and in the export', () => {
    const lines = [
      ...corpusLines,
      '{"time":"2026-01-01T00:00:00.000000001Z","rule":"r","priority":"Notice","output":"\\u00e9 \\ud83d\\ude00 \\"q\\"  ","output_fields":{"big":123456789012345678901,"__proto__":{"x":1}}}',
    ];
    const results = writeAlerts(
      db,
      lines.map((line) => storedLine(line)),
    );
    results.forEach(({ id }, i) => {
      expect(getEventOrThrow(db, id).raw).toBe(lines[i]);
    });
    const exported = rawEventsPage(db, EventFilter.parse({ from: 'all', internal: 'include' }), { limit: 1000 }).raws;
    expect([...exported].sort()).toEqual([...lines].sort());
    expect(db.prepare("SELECT count(*) AS n FROM event_payloads WHERE typeof(raw) = 'blob'").get()).toEqual({
      n: lines.length,
    });
  });

  it('reads the rows each earlier release stored: text, plain raw deflate, and the current form', () => {
    const lines = corpusLines.slice(0, 3);
    const ids = writeAlerts(
      db,
      lines.map((line) => storedLine(line)),
    ).map((r) => r.id);
    const update = db.prepare('UPDATE event_payloads SET raw = ? WHERE event_id = ?');
    update.run(lines[0], ids[0]);
    update.run(deflateRawSync(lines[1]!), ids[1]);
    expect(db.prepare('SELECT typeof(raw) AS t FROM event_payloads ORDER BY event_id').pluck().all()).toEqual([
      'text',
      'blob',
      'blob',
    ]);
    ids.forEach((id, i) => {
      expect(getEventOrThrow(db, id).raw).toBe(lines[i]);
    });
    const exported = rawEventsPage(db, EventFilter.parse({ from: 'all', internal: 'include' }), { limit: 10 }).raws;
    expect([...exported].sort()).toEqual([...lines].sort());
  });
});

describe('prefixes too broad to answer quickly', () => {
  /** Alerts straight into the word index: `words` words each beginning with `start`. */
  function index(start: string, alerts: number, words: number) {
    const insert = db.prepare('INSERT INTO event_search (rowid, text) VALUES (?, ?)');
    let seed = 11;
    const random = () => (seed = (seed * 48271) % 2147483647).toString(36);
    db.transaction(() => {
      for (let id = 1; id <= alerts; id++)
        insert.run(id, Array.from({ length: words }, () => `${start}${random()}`).join(' '));
    })();
  }
  const q = (text: string) => EventFilter.parse({ q: text });

  it('estimates the pages of the word lists a prefix stands for from the index alone', () => {
    index('sh', 2_000, 50);
    index('zq', 20, 5);
    const broad = prefixListPages(db, 'sh');
    expect(broad).toBeGreaterThan(100);
    expect(prefixListPages(db, 's')).toBeGreaterThanOrEqual(broad);
    // At most a page or two per segment of the index for a prefix with few words or none.
    expect(prefixListPages(db, 'zq')).toBeLessThan(broad / 10);
    expect(prefixListPages(db, 'nothing')).toBeLessThan(broad / 10);
  });

  it("leaves out the list of the word before the prefix, however long, and a lone word's own", () => {
    // `shadow` in every alert, many times: its list fills some fifty pages, then a few `she…` words.
    const insert = db.prepare('INSERT INTO event_search (rowid, text) VALUES (?, ?)');
    db.transaction(() => {
      for (let id = 1; id <= 2_000; id++)
        insert.run(id, `${'shadow '.repeat(100)}${id % 100 === 0 ? `shell${id}` : ''}`);
    })();
    expect(prefixListPages(db, 'she')).toBeLessThan(5);
    // One word costs what a search of the whole word costs, which is always answered.
    expect(prefixListPages(db, 'sha')).toBeLessThan(5);
    expect(() => assertSearchAnswerable(db, q('sha*'))).not.toThrow();
  });

  it('refuses one whose lists pass MAX_PREFIX_PAGES, saying which and what to do; whole words and narrower prefixes pass', () => {
    index('sh', 6_000, 60);
    expect(prefixListPages(db, 'sh')).toBeGreaterThan(MAX_PREFIX_PAGES);
    for (const [text, prefix] of [
      ['sh*', 'sh'],
      ['S*', 's'],
      ['etc/sh*', 'sh'],
      ['cat SH*', 'sh'],
    ] as const) {
      expect(() => assertSearchAnswerable(db, q(text)), text).toThrow(
        expect.objectContaining({ code: 'invalid_query', message: tooManyWordsMessage(prefix) }),
      );
    }
    for (const text of ['sh', 'sh0*', 'zz*', 'sh etc*'])
      expect(() => assertSearchAnswerable(db, q(text)), text).not.toThrow();
    expect(() => assertSearchAnswerable(db, EventFilter.parse({}))).not.toThrow();
  }, 60_000);
});
