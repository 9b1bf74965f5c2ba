// The TypeScript half of `npm run bench` (scripts/bench.mjs runs it as a child process); USAGE
// below says what each command does and prints.
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { openDatabase } from '../lib/db/connection';
import type { StoredAlert } from '../lib/falco/alert';
import { prepareEntries } from '../lib/ingest/prepare';
import { splitBody, type BodyEntry } from '../lib/ingest/split-body';
import { benchAlerts, LONG_CMDLINE, withUuid } from './lib/bench-alerts';
import { BENCH_ABSENT, BENCH_RARE } from './lib/bench-irregular';
import { fillStore } from './lib/bench-fill';
import { rawInserter } from './lib/raw-insert';

const BATCH = 1_000;

const USAGE = `usage: bench-data.ts <command>
  generate --alerts N --days D --now MS --out FILE [--seed S]
    writes exactly N realistic alerts as NDJSON (scripts/lib/bench-alerts.ts)
  fill --db FILE --alerts N --days D --now MS [--seed S] [--workers W]
    writes the same N alerts straight into a new store (scripts/lib/bench-fill.ts), progress on
    stderr; prints one JSON line: alerts, long, seconds, rate, peakRss
  values
    prints the generator's rare and absent values of every filter as JSON
  raw --db FILE (--file NDJSON [--segment N] | --pool NDJSON --segments JSON) [--min-rows N]
    inserts the same rows Perch stored, prepared beforehand, with plain INSERTs in 1,000-row
    transactions (scripts/lib/raw-insert.ts), timing only the transactions. With --file, prints
    {label: 'file', rows, seconds, rate}; before it, with --segment N, {label: 'point', rows,
    seconds} (so far) after every N rows and at the end. With --pool, each segment {label,
    prefix, from, count} is the lines the HTTP benchmark sent: pool line seq % pool size with
    uuid \`\${prefix}-\${seq}\`. Prints one JSON line per segment.`;

const FLAGS = [
  'alerts',
  'days',
  'now',
  'out',
  'seed',
  'workers',
  'db',
  'file',
  'segment',
  'pool',
  'segments',
  'min-rows',
] as const;
type Flag = (typeof FLAGS)[number];

function parseFlags() {
  try {
    return parseArgs({
      options: Object.fromEntries(FLAGS.map((name) => [name, { type: 'string' as const }])) as Record<
        Flag,
        { type: 'string' }
      >,
      allowPositionals: true,
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
}
const { values: given, positionals } = parseFlags();

function flag(name: Flag): string | undefined {
  return given[name];
}

function requiredFlag(name: Flag): string {
  const value = flag(name);
  if (value === undefined) throw new Error(`--${name} is required`);
  return value;
}

async function generate() {
  const alerts = Number(requiredFlag('alerts'));
  const out = createWriteStream(requiredFlag('out'));
  const started = performance.now();
  let lines = 0;
  let bytes = 0;
  let long = 0;
  let chunk: string[] = [];
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  for (const line of benchAlerts({
    alerts,
    days: Number(requiredFlag('days')),
    nowMs: Number(requiredFlag('now')),
    seed: Number(flag('seed') ?? 7),
  })) {
    lines++;
    if (line.length > LONG_CMDLINE) long++;
    chunk.push(line);
    if (chunk.length === BATCH) {
      await write(`${chunk.join('\n')}\n`);
      chunk = [];
    }
  }
  if (chunk.length > 0) await write(`${chunk.join('\n')}\n`);
  out.end();
  await once(out, 'finish');
  console.log(JSON.stringify({ lines, bytes, long, seconds: (performance.now() - started) / 1000 }));
}

async function fill() {
  const alerts = Number(requiredFlag('alerts'));
  const result = await fillStore({
    file: requiredFlag('db'),
    alerts,
    days: Number(requiredFlag('days')),
    nowMs: Number(requiredFlag('now')),
    seed: Number(flag('seed') ?? 7),
    workers: Number(flag('workers') ?? 2),
    onProgress: (() => {
      let before = { alerts: 0, seconds: 0 };
      return ({ alerts: done, of, seconds }: { alerts: number; of: number; seconds: number }) => {
        const now = (done - before.alerts) / (seconds - before.seconds);
        const overall = done / seconds;
        before = { alerts: done, seconds };
        const n = (x: number) => Math.round(x).toLocaleString('en');
        process.stderr.write(
          `[fill] ${n(done)} of ${n(of)} alerts in ${n(seconds)} s: ${n(now)}/s now, ${n(overall)}/s overall, about ${n((of - done) / now / 60)} min left\n`,
        );
      };
    })(),
  });
  console.log(JSON.stringify({ ...result, rate: result.alerts / result.seconds }));
}

/** Prepares (untimed) and inserts (timed) batches of lines; returns the seconds spent inserting. */
function rawTimer(dbFile: string) {
  const db = openDatabase(dbFile);
  const raw = rawInserter(db);
  return {
    insert(lines: readonly string[]): number {
      const entries: BodyEntry[] = lines.map(
        (line, i) => splitBody(line).entries[0] ?? { position: { line: i + 1 }, raw: line, syntaxError: 'empty' },
      );
      const { valid, issues } = prepareEntries(entries);
      if (issues.length > 0) throw new Error(`invalid alert in the benchmark's own data: ${JSON.stringify(issues[0])}`);
      const batch = raw.prepare(valid.map((entry): StoredAlert => entry.alert));
      const started = performance.now();
      raw.insert(batch);
      return (performance.now() - started) / 1000;
    },
    close: () => db.close(),
  };
}

interface Segment {
  label: string;
  prefix: string;
  from: number;
  count: number;
}

async function raw() {
  const timer = rawTimer(requiredFlag('db'));
  const file = flag('file');
  if (file !== undefined) {
    const every = flag('segment') === undefined ? null : Number(flag('segment'));
    if (every !== null && !(Number.isInteger(every) && every >= 1))
      throw new Error('--segment must be a whole number of rows of at least 1');
    let seconds = 0;
    let rows = 0;
    let batch: string[] = [];
    let nextPoint = every ?? Infinity;
    let lastPoint = 0;
    // Cumulative, as `npm run import` reports them with PERCH_IMPORT_PROGRESS, after whole batches.
    const point = (final = false) => {
      if (every === null || rows === lastPoint || (!final && rows < nextPoint)) return;
      lastPoint = rows;
      nextPoint = (Math.floor(rows / every) + 1) * every;
      console.log(JSON.stringify({ label: 'point', rows, seconds }));
    };
    const insert = () => {
      seconds += timer.insert(batch);
      rows += batch.length;
      batch = [];
      point();
    };
    for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
      if (line.trim() === '') continue;
      batch.push(line);
      if (batch.length === BATCH) insert();
    }
    if (batch.length > 0) insert();
    point(true);
    console.log(JSON.stringify({ label: 'file', rows, seconds, rate: rows / seconds }));
  } else {
    const pool = readFileSync(requiredFlag('pool'), 'utf8')
      .split('\n')
      .filter((line) => line !== '');
    const segments = JSON.parse(requiredFlag('segments')) as Segment[];
    // A few hundred rows are too few to time; segments that short continue the same sequence
    // (with uuids of their own).
    const minRows = Number(flag('min-rows') ?? 10_000);
    for (const { label, prefix, from, count } of segments) {
      let seconds = 0;
      const rows = Math.max(count, minRows);
      for (let start = 0; start < rows; start += BATCH) {
        const lines: string[] = [];
        for (let i = start; i < Math.min(rows, start + BATCH); i++) {
          const seq = from + i;
          lines.push(withUuid(pool[seq % pool.length]!, i < count ? `${prefix}-${seq}` : `${prefix}+${label}-${seq}`));
        }
        seconds += timer.insert(lines);
      }
      console.log(JSON.stringify({ label, rows, seconds, rate: rows / seconds }));
    }
  }
  timer.close();
}

/** The generator's rare and absent values, for the bench's pages (scripts/lib/bench-irregular.ts). */
function values() {
  console.log(JSON.stringify({ rare: BENCH_RARE, absent: BENCH_ABSENT }));
}

async function main() {
  if (positionals.length > 1) throw new Error(`one command only, not ${positionals.join(' ')}\n${USAGE}`);
  const command = positionals[0];
  if (command === 'values') values();
  else if (command === 'generate') await generate();
  else if (command === 'fill') await fill();
  else if (command === 'raw') await raw();
  else throw new Error(USAGE);
}

main().catch((error: unknown) => {
  console.error(`bench-data failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
