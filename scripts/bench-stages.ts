// tsx --conditions=react-server scripts/bench-stages.ts FILE.ndjson [N]: the JavaScript cost of each
// ingest stage per alert (µs), over the first N lines (default 50,000) of an NDJSON file, next to
// the raw insert of the same rows. For finding hot spots; figures vary with the machine's load.
import { readFileSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../lib/db/connection';
import { writeAlerts } from '../lib/db/event-writer';
import { checkedAlert, FalcoAlert, toStoredAlert } from '../lib/falco/alert';
import { prepareCountWriter } from '../lib/db/event-counts';
import { parseJson } from '../lib/falco/json';
import { prepareEntries } from '../lib/ingest/prepare';
import { nestingDepth, splitBody } from '../lib/ingest/split-body';
import { rawInserter } from './lib/raw-insert';

const { positionals } = parseArgs({ options: {}, allowPositionals: true });
const [file, count, ...extra] = positionals;
if (!file || extra.length > 0) throw new Error('usage: bench-stages.ts FILE.ndjson [N]');
const n = Number(count ?? 50_000);
const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(0, n);
const BATCH = 1_000;

// CPU time of this process, not wall time: other work on the machine then matters less.
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

function time(label: string, run: () => void, rounds = 5): void {
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const started = cpuMs();
    run();
    samples.push(((cpuMs() - started) * 1000) / lines.length);
  }
  samples.sort((a, b) => a - b);
  console.log(`${label.padEnd(44)} ${samples[Math.floor(rounds / 2)]!.toFixed(1).padStart(7)} µs/alert`);
}

let sink: unknown;
time('JSON.parse (floor)', () => {
  for (const l of lines) sink = JSON.parse(l);
});
time('parseJson (BigInt-safe)', () => {
  for (const l of lines) sink = parseJson(l);
});
time('nestingDepth', () => {
  for (const l of lines) sink = nestingDepth(l);
});
const values = lines.map((l) => parseJson(l) as Record<string, unknown>);
time('FalcoAlert.safeParse', () => {
  for (const v of values) sink = FalcoAlert.safeParse(v);
});
time('checkedAlert (hand-written check)', () => {
  for (const v of values) sink = checkedAlert(v);
});
const parsed = values.map((v) => FalcoAlert.parse(v));
time('toStoredAlert', () => {
  parsed.forEach((a, i) => {
    sink = toStoredAlert(a, (values[i]!.output_fields ?? {}) as Record<string, unknown>, lines[i]!);
  });
});
time('splitBody per line (import path)', () => {
  for (const l of lines) sink = splitBody(l);
});
const body = lines.slice(0, BATCH).join('\n');
time('splitBody of 1,000-line bodies (HTTP path)', () => {
  for (let i = 0; i < lines.length; i += BATCH) sink = splitBody(body);
});
const entries = lines.map((l, i) => ({ ...splitBody(l).entries[0]!, position: { line: i + 1 } }));
time('prepareEntries (validate + normalise)', () => {
  for (let i = 0; i < entries.length; i += BATCH) sink = prepareEntries(entries.slice(i, i + BATCH));
});
const alerts = prepareEntries(entries).valid.map((e) => e.alert);

const counts = prepareCountWriter(openDatabase(':memory:'));
time('counts, summing in memory', () => {
  for (let i = 0; i < alerts.length; i += BATCH) {
    const batch = counts();
    for (const alert of alerts.slice(i, i + BATCH)) batch.add(alert);
  }
});

const dir = path.join(os.tmpdir(), `perch-stages-${process.pid}`);
function withStore(label: string, write: (db: ReturnType<typeof openDatabase>) => (batch: typeof alerts) => void) {
  time(label, () => {
    rmSync(dir, { recursive: true, force: true });
    const db = openDatabase(path.join(dir, 'store.db'));
    const insert = write(db);
    for (let i = 0; i < alerts.length; i += BATCH) insert(alerts.slice(i, i + BATCH));
    db.close();
  });
}
withStore('writeAlerts (Perch writer, file store)', (db) => (batch) => writeAlerts(db, batch));
withStore('rawInserter (incl. its untimed prepare)', (db) => {
  const raw = rawInserter(db);
  return (batch) => raw.insert(raw.prepare(batch));
});
rmSync(dir, { recursive: true, force: true });
void sink;
