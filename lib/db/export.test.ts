import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../events/csv';
import { parseJson, stringifyJson } from '../falco/json';
import { EventFilter } from '../filters/event-filter';
import { importStream } from '../ingest/import-stream';
import { prepareEntries } from '../ingest/prepare';
import { splitBody } from '../ingest/split-body';
import { openDatabase, type Db } from './connection';
import { getEventOrThrow, listEvents } from './event-queries';
import { writeAlerts } from './event-writer';
import { exportChunks, ndjsonLine, pagesOf, type ExportFormat } from './export';
import { parseCsv } from '../testing/csv-reader';

// 2,500 alerts of one rule (three internal pages of 1,000), interleaved in time with 400 others and 30
// internal events that the filter must leave out. Times run back from 2026-03-01 one second apart,
// with some sharing a timestamp so paging has to break ties.
const BASE_NS = BigInt(Date.parse('2026-03-01T12:00:00Z')) * 1_000_000n;
const WANTED_RULE = 'Write below etc';
const isoNs = (ns: bigint) =>
  `${new Date(Number(ns / 1_000_000n)).toISOString().slice(0, 19)}.${(ns % 1_000_000_000n).toString().padStart(9, '0')}Z`;

interface Made {
  id: number;
  text: string;
  wanted: boolean;
  ns: bigint;
}
const made: Made[] = [];
for (let i = 0; i < 2_930; i++) {
  const kind = i < 2_500 ? 'wanted' : i < 2_900 ? 'other' : 'internal';
  const ns = BASE_NS - BigInt(Math.floor(i / 2)) * 1_000_000_000n - BigInt(i % 7) * 13n;
  const alert = {
    hostname: `node-${i % 3}`,
    output: `${isoNs(ns).slice(11)}: Error File below /etc opened for writing (n=${i} file=/etc/x,${i} cmd="=cmd|' /C calc'!A0")`,
    output_fields: {
      'container.id': i % 5 === 0 ? 'host' : 'aaaaaaaaaaa1',
      'evt.time': ns,
      'fd.name': `/etc/x,${i}`,
      'proc.cmdline': "=cmd|' /C calc'!A0",
      'proc.name': 'tee',
      'user.name': 'root',
    },
    priority: kind === 'internal' ? 'Debug' : 'Error',
    rule: kind === 'wanted' ? WANTED_RULE : kind === 'other' ? 'Other rule' : 'Falco internal: syscall event drop',
    source: kind === 'internal' ? 'internal' : 'syscall',
    tags: kind === 'internal' ? [] : ['filesystem', 'mitre_persistence'],
    time: isoNs(ns),
  };
  // evt.time is a nanosecond count above 2^53: written as a bare integer literal, as Falco does.
  const text = JSON.stringify(alert, (_key, value: unknown) =>
    typeof value === 'bigint' ? `@@${value}@@` : value,
  ).replace(/"@@(\d+)@@"/g, '$1');
  made.push({ id: 0, text, wanted: kind === 'wanted', ns });
}
// Arrival order differs from time order.
const arrival = [...made].sort(
  (x, y) =>
    ((x.text.length * 7919 + Number(x.ns % 1000n)) % 101) - ((y.text.length * 7919 + Number(y.ns % 1000n)) % 101),
);

let db: Db;
const filter = EventFilter.parse({ rule: [WANTED_RULE] });
/** The wanted alerts newest first, ties by id descending (the list order). */
let expectedOrder: Made[];

async function collect(format: ExportFormat, f = filter): Promise<{ chunks: string[]; text: string }> {
  const chunks: string[] = [];
  for await (const chunk of exportChunks(format, pagesOf(db, f, format))) chunks.push(chunk);
  return { chunks, text: chunks.join('') };
}

beforeAll(() => {
  db = openDatabase(':memory:');
  const { valid, issues } = prepareEntries(splitBody(arrival.map((m) => m.text).join('\n')).entries);
  expect(issues).toEqual([]);
  const written = writeAlerts(
    db,
    valid.map((v) => v.alert),
  );
  written.forEach((w, i) => {
    arrival[i]!.id = w.id;
  });
  expect(written.filter((w) => w.duplicate)).toEqual([]);
  expectedOrder = made.filter((m) => m.wanted).sort((x, y) => (x.ns === y.ns ? y.id - x.id : x.ns < y.ns ? 1 : -1));
});
afterAll(() => db.close());

describe('exportChunks', () => {
  it('ndjson: exactly the filtered alerts, one raw text per line as received, newest first', async () => {
    const { chunks, text } = await collect('ndjson');
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(lines).toHaveLength(2_500);
    expect(lines).toEqual(expectedOrder.map((m) => m.text));
    expect(lines[0]).toContain('"evt.time":');
  });

  it('csv: a header and one record per filtered alert, every record as wide as the header', async () => {
    const { chunks, text } = await collect('csv');
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(CSV_COLUMNS.map(([name]) => name));
    expect(rows).toHaveLength(2_501);
    for (const row of rows) expect(row).toHaveLength(CSV_COLUMNS.length);
    const records = rows.slice(1);
    expect(records.map((r) => Number(r[0]))).toEqual(expectedOrder.map((m) => m.id));
    expect(new Set(records.map((r) => r[3]))).toEqual(new Set([WANTED_RULE]));
    expect(records.map((r) => r[1])).toEqual(expectedOrder.map((m) => isoNs(m.ns)));
    const cmdline = CSV_COLUMNS.findIndex(([name]) => name === 'cmdline');
    expect(records[0]?.[cmdline]).toBe("'=cmd|' /C calc'!A0");
  });

  it('json: one array of exactly the filtered alerts, with large integers written digit for digit', async () => {
    const { chunks, text } = await collect('json');
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    const parsed = JSON.parse(text) as { id: number; rule: string; output_fields: Record<string, unknown> }[];
    expect(Array.isArray(parsed)).toBe(true);
    expect(parsed.map((e) => e.id)).toEqual(expectedOrder.map((m) => m.id));
    expect(new Set(parsed.map((e) => e.rule))).toEqual(new Set([WANTED_RULE]));
    const first = expectedOrder[0]!;
    expect(text).toContain(`"evt.time":${first.ns}`);
  });

  it('leaves out internal events and other rules unless the filter asks for them', async () => {
    const { text } = await collect('ndjson', EventFilter.parse({ internal: 'only' }));
    expect(text.trim().split('\n')).toHaveLength(30);
    const all = await collect('ndjson', EventFilter.parse({ internal: 'include' }));
    expect(all.text.trim().split('\n')).toHaveLength(2_930);
  });

  it('gives well-formed empty exports when nothing matches', async () => {
    const none = EventFilter.parse({ rule: ['No such rule'] });
    expect(parseCsv((await collect('csv', none)).text)).toEqual([CSV_COLUMNS.map(([name]) => name)]);
    expect((await collect('ndjson', none)).text).toBe('');
    expect(JSON.parse((await collect('json', none)).text)).toEqual([]);
  });

  it('handles exactly one full page', async () => {
    const page = EventFilter.parse({
      rule: [WANTED_RULE],
      to: isoNs(expectedOrder[999]!.ns + 1n),
      from: isoNs(expectedOrder[999]!.ns),
    });
    const expected = expectedOrder.filter((m) => m.ns === expectedOrder[999]!.ns).length;
    expect(JSON.parse((await collect('json', page)).text)).toHaveLength(expected);
    const thousand = EventFilter.parse({ rule: [WANTED_RULE], from: isoNs(expectedOrder[999]!.ns) });
    const n = expectedOrder.filter((m) => m.ns >= expectedOrder[999]!.ns).length;
    expect(n).toBe(1_000);
    expect((JSON.parse((await collect('json', thousand)).text) as unknown[]).length).toBe(n);
    expect((await collect('ndjson', thousand)).text.trim().split('\n')).toHaveLength(n);
    expect(parseCsv((await collect('csv', thousand)).text)).toHaveLength(n + 1);
  });
});

// A smuggling body: pretty-printed, with a complete alert on a line of its own inside it.
const SMUGGLER = [
  '{"time":"2026-03-01T11:00:00.123456789Z","rule":"Innocent looking rule","priority":"Notice","hostname":"smuggler",',
  '  "output":"line one\\nstill one string\\r\\n", "output_fields":{"evt.time":1772362800123456789,"note":',
  '{"time":"2026-03-01T11:00:01Z","rule":"FORGED smuggled alert","priority":"Emergency","hostname":"forged-host","output":"forged"}',
  '\t}\r',
  '}',
].join('\n');

describe('NDJSON export of a pretty-printed alert', () => {
  let source: Db;
  let id: number;
  beforeAll(() => {
    source = openDatabase(':memory:');
    const { valid, issues } = prepareEntries(splitBody(SMUGGLER).entries);
    expect(issues).toEqual([]);
    id = writeAlerts(
      source,
      valid.map((v) => v.alert),
    )[0]!.id;
  });
  afterAll(() => source.close());

  it('writes the alert on one line, its values unchanged, while the alert page keeps the bytes as received', async () => {
    const chunks: string[] = [];
    for await (const chunk of exportChunks(
      'ndjson',
      pagesOf(source, EventFilter.parse({ hostname: ['smuggler'] }), 'ndjson'),
    ))
      chunks.push(chunk);
    const lines = chunks.join('').split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    expect(lines[0]).not.toMatch(/[\r\n]/);
    expect(stringifyJson(parseJson(lines[0]!))).toBe(stringifyJson(parseJson(SMUGGLER)));
    expect(lines[0]).toContain('"evt.time":1772362800123456789');
    expect(lines[0]).toContain('"output":"line one\\nstill one string\\r\\n"');
    expect(getEventOrThrow(source, id).raw).toBe(SMUGGLER);
    expect(ndjsonLine('{"a":\r\n  [1,\n\t2]\n}')).toBe('{"a":[1,2]}');
  });

  it('imports back as the same alert, not the one smuggled inside it', async () => {
    let text = '';
    for await (const chunk of exportChunks('ndjson', pagesOf(source, EventFilter.parse({}), 'ndjson'))) text += chunk;
    const target = openDatabase(':memory:');
    try {
      expect(await importStream(target, Readable.from([text]))).toEqual({
        imported: 1,
        duplicates: 0,
        skipped: 0,
        invalid: [],
      });
      const [back] = listEvents(target, EventFilter.parse({ internal: 'include' }), { limit: 10 }).events;
      const [original] = listEvents(source, EventFilter.parse({ internal: 'include' }), { limit: 10 }).events;
      expect(back).toEqual({ ...original, id: back!.id });
      expect(back!.rule).toBe('Innocent looking rule');
      // Without the export's framing, the body's middle line would be imported as an alert of its own.
      const naive = openDatabase(':memory:');
      const summary = await importStream(naive, Readable.from([`${SMUGGLER}\n`]));
      expect([
        summary.imported,
        listEvents(naive, EventFilter.parse({}), { limit: 10 }).events.map((e) => e.rule),
      ]).toEqual([1, ['FORGED smuggled alert']]);
      naive.close();
    } finally {
      target.close();
    }
  });
});
