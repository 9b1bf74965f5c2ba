// npm run bench:queries -- [--alerts 1000000] [--days 30] [--db /tmp/perch-bench.db] [--runs 20] [--raw] [--only <regex>] [--no-refusal]
// Fills a store with realistic alerts (the demo cluster, through the real ingest pipeline; kept
// between runs), then times every query behind the dashboard's pages, p50 and p95 over repeated
// runs. The SQL is what the API routes run; the routes add parsing and JSON only. `--raw` reads
// every alert from `events`, leaving the hourly counts out, for a comparison on the same store.
// `--only` times just the rows whose label matches (e.g. `--only 'tree|chains'`). `--no-refusal`
// answers the searches the API refuses as too broad (lib/db/event-search.ts), for a comparison.
import { existsSync } from 'node:fs';
import { openDatabase, type Db } from '../lib/db/connection';
import { ApiError } from '../lib/api/errors';
import { getEventOrThrow, listEvents } from '../lib/db/event-queries';
import { assertSearchAnswerable } from '../lib/db/event-search';
import { containerRows, processTree, rangeSummary, relatedEvents, ruleRows, timeline, topValues } from '../lib/db/stats-queries';
import { EventFilter, type EventPage } from '../lib/filters/event-filter';
import { ImportRun } from '../lib/ingest/import-stream';
import { splitBody } from '../lib/ingest/split-body';
import { demoAlerts } from './demo-alerts';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const ALERTS = Number(flag('alerts', '1000000'));
const DAYS = Number(flag('days', '30'));
const RUNS = Number(flag('runs', '20'));
const DB_FILE = flag('db', `/tmp/perch-bench-${ALERTS}-${DAYS}d.db`);
const READ = { rawOnly: process.argv.includes('--raw') };
const ONLY = process.argv.includes('--only') ? new RegExp(flag('only', ''), 'i') : null;
const NO_REFUSAL = process.argv.includes('--no-refusal');

function fill(db: Db, nowMs: number) {
  const have = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  if (have >= ALERTS * 0.9) return;
  const started = Date.now();
  const run = new ImportRun(db);
  let n = 0;
  for (const alert of demoAlerts({ seed: 7, alerts: ALERTS, days: DAYS, nowMs })) {
    const [entry] = splitBody(alert.line).entries;
    if (entry) run.add(entry);
    if (++n % 100_000 === 0) process.stderr.write(`… ${n.toLocaleString('en')} alerts (${Math.round(n / ((Date.now() - started) / 1000))}/s)\n`);
  }
  run.flush();
  process.stderr.write(`filled ${run.summary.imported.toLocaleString('en')} alerts in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

function time(label: string, fn: () => unknown) {
  if (ONLY && !ONLY.test(label)) return;
  fn(); // warm the statement cache and the page cache
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  const row = { label, p50: percentile(samples, 50), p95: percentile(samples, 95) };
  console.log(`| ${label.padEnd(58)} | ${row.p50.toFixed(1).padStart(8)} | ${row.p95.toFixed(1).padStart(8)} |`);
  return row;
}

function main() {
  if (!existsSync(DB_FILE)) process.stderr.write(`creating ${DB_FILE}\n`);
  const db = openDatabase(DB_FILE);
  const nowMs = Date.now();
  fill(db, nowMs);
  const count = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  const f = (input: Record<string, unknown>) => EventFilter.parse(input);
  const page = (limit: number, cursor?: string): EventPage => ({ limit, cursor });
  const sample = listEvents(db, f({ from: '24h' }), page(200), nowMs).events;
  const withChain = sample.find((e) => e.procName && e.containerId && e.containerId !== 'host') ?? sample[0]!;
  const rule = withChain.rule;
  const container = withChain.containerId ?? 'host';
  const host = sample.find((e) => e.containerId === 'host')?.hostname ?? withChain.hostname ?? '';
  const namespace = sample.find((e) => e.k8sNamespace)?.k8sNamespace ?? 'default';

  console.log(`\n${count.toLocaleString('en')} alerts over ${DAYS} days in ${DB_FILE}; ${RUNS} runs each; times in ms${READ.rawOnly ? '; every alert read from events (--raw)' : ''}\n`);
  console.log(`| ${'query (the API call behind it)'.padEnd(58)} | ${'p50'.padStart(8)} | ${'p95'.padStart(8)} |`);
  console.log(`|${'-'.repeat(60)}|${'-'.repeat(10)}|${'-'.repeat(10)}|`);
  for (const range of ['24h', '30d']) {
    const filter = f({ from: range });
    time(`overview ${range}: summary (/api/stats/summary)`, () => rangeSummary(db, filter, nowMs, READ));
    time(`overview ${range}: timeline by priority`, () => timeline(db, filter, 'priority', 8, nowMs, READ));
    for (const dimension of ['rule', 'container', 'namespace', 'hostname', 'source', 'tactic', 'technique', 'proc', 'user'] as const) {
      time(`overview ${range}: top ${dimension}`, () => topValues(db, filter, dimension, 8, nowMs, READ));
    }
    time(`overview ${range}: newest 20`, () => listEvents(db, filter, page(20), nowMs));
  }
  const month = f({ from: '30d' });
  time('explorer 30d: first page (100)', () => listEvents(db, month, page(100), nowMs));
  let cursor: string | undefined;
  for (let i = 0; i < 49; i++) cursor = listEvents(db, month, page(100, cursor), nowMs).nextCursor ?? undefined;
  time('explorer 30d: page 50 (by cursor)', () => listEvents(db, month, page(100, cursor), nowMs));
  const filters: [string, Record<string, unknown>][] = [
    ['rule', { rule: [rule] }], ['priority set', { priority: ['Critical', 'Error'] }], ['minPriority Warning', { minPriority: 'Warning' }],
    ['hostname', { hostname: [host] }], ['container', { container: [container] }], ['namespace', { namespace: [namespace] }],
    ['tag', { tag: ['mitre_execution'] }], ['proc (any ancestor)', { proc: ['bash'] }], ['user', { user: ['root'] }],
  ];
  for (const [name, extra] of filters) {
    const filter = f({ from: '30d', ...extra });
    time(`explorer 30d + ${name}: first page`, () => listEvents(db, filter, page(100), nowMs));
    time(`explorer 30d + ${name}: timeline`, () => timeline(db, filter, 'priority', 8, nowMs, READ));
  }
  // A value that no alert has, and the rarest one the range has, for every filter: what people
  // type all day (a name from another cluster, a typo, a pod that has gone) must answer as fast.
  const sinceNs = BigInt(nowMs - DAYS * 86_400_000) * 1_000_000n;
  const rarest = (sql: string) => (db.prepare(sql).get({ sinceNs }) as { value: string } | undefined)?.value;
  const inRange = 'FROM events WHERE time_ns >= @sinceNs AND internal = 0';
  const rare: [string, string, string | undefined][] = [
    ['rule', 'rule', rarest(`SELECT rule AS value ${inRange} GROUP BY 1 ORDER BY count(*), 1 LIMIT 1`)],
    ['hostname', 'hostname', rarest(`SELECT hostname AS value ${inRange} AND hostname IS NOT NULL GROUP BY 1 ORDER BY count(*), 1 LIMIT 1`)],
    ['container', 'container', rarest(`SELECT container_id AS value ${inRange} AND container_id IS NOT NULL GROUP BY 1 ORDER BY count(*), 1 LIMIT 1`)],
    ['image', 'image', rarest(`SELECT image_repository AS value ${inRange} AND image_repository IS NOT NULL GROUP BY 1 ORDER BY count(*), 1 LIMIT 1`)],
    ['namespace', 'namespace', rarest(`SELECT k8s_ns AS value ${inRange} AND k8s_ns IS NOT NULL GROUP BY 1 ORDER BY count(*), 1 LIMIT 1`)],
    ['pod', 'pod', rarest(`SELECT k8s_pod AS value ${inRange} AND k8s_pod IS NOT NULL GROUP BY 1 ORDER BY count(*), 1 LIMIT 1`)],
    ['user', 'user', rarest(`SELECT user_name AS value ${inRange} AND user_name IS NOT NULL GROUP BY 1 ORDER BY count(*), 1 LIMIT 1`)],
    ['tag', 'tag', rarest(`SELECT t.tag AS value FROM events e JOIN event_tags t ON t.event_id = e.id WHERE e.time_ns >= @sinceNs AND e.internal = 0 GROUP BY 1 ORDER BY count(*), 1 LIMIT 1`)],
    ['proc', 'proc', rarest(`SELECT p.name AS value FROM events e JOIN event_processes p ON p.event_id = e.id WHERE e.time_ns >= @sinceNs AND e.internal = 0 GROUP BY 1 ORDER BY count(DISTINCT e.id), 1 LIMIT 1`)],
    ['chain', 'chain', rarest(`SELECT process_chain AS value ${inRange} AND process_chain IS NOT NULL GROUP BY 1 ORDER BY count(*), 1 LIMIT 1`)],
  ];
  for (const [name, key, value] of rare) {
    for (const [kind, given] of [['absent', `no-such-${name}-xyz`], ['rarest', value]] as const) {
      if (given === undefined) continue;
      const filter = f({ from: '30d', [key]: [given] });
      time(`explorer 30d + ${name} ${kind}: first page`, () => listEvents(db, filter, page(100), nowMs));
      time(`explorer 30d + ${name} ${kind}: timeline`, () => timeline(db, filter, 'priority', 8, nowMs, READ));
      time(`explorer 30d + ${name} ${kind}: summary`, () => rangeSummary(db, filter, nowMs, READ));
    }
  }
  // Free text, with every call the explorer makes for it. The API refuses a prefix too broad to
  // answer quickly (lib/db/event-search.ts) before reading anything: such a row times the refusal.
  const searches: [string, string][] = [
    ['q common ("/etc/")', '/etc/'], ['q rare ("no-such-text-xyz")', 'no-such-text-xyz'],
    ['q prefix ("sh*")', 'sh*'], ['q one-letter prefix ("s*")', 's*'], ['q prefix ("she*")', 'she*'],
    ['q phrase with a prefix ("etc/sha*")', 'etc/sha*'],
  ];
  for (const [name, q] of searches) {
    const filter = f({ from: '30d', q });
    // What the API answers: its 400 for a refused search (unless --no-refusal), else the call's result.
    const api = (fn: () => unknown) => () => {
      try {
        if (!NO_REFUSAL) assertSearchAnswerable(db, filter);
      } catch (error) {
        if (error instanceof ApiError) return error;
        throw error;
      }
      return fn();
    };
    const label = api(() => null)() instanceof ApiError ? `${name} (refused: 400)` : name;
    time(`explorer 30d + ${label}: first page`, api(() => listEvents(db, filter, page(100), nowMs)));
    time(`explorer 30d + ${label}: timeline`, api(() => timeline(db, filter, 'priority', 8, nowMs, READ)));
    time(`explorer 30d + ${label}: summary`, api(() => rangeSummary(db, filter, nowMs, READ)));
  }
  // The rules and containers pages open on the last 24 hours, whose charts have 15-minute bars.
  const day = f({ from: '24h' });
  time('rules 24h: list with trends (/api/rules)', () => ruleRows(db, day, nowMs, READ));
  time('rules 24h: chart stacked by rule', () => timeline(db, day, 'rule', 8, nowMs, READ));
  time('containers 24h: chart stacked by container', () => timeline(db, day, 'container', 8, nowMs, READ));
  time('rules 30d: list with trends (/api/rules)', () => ruleRows(db, month, nowMs, READ));
  time('rules 30d: chart stacked by rule', () => timeline(db, month, 'rule', 8, nowMs, READ));
  const ruleFilter = f({ from: '30d', rule: [rule] });
  time('rule page 30d: facts (/api/rules?rule=)', () => ruleRows(db, ruleFilter, nowMs, READ));
  time('rule page 30d: top containers', () => topValues(db, ruleFilter, 'container', 8, nowMs, READ));
  time('rule page 30d: top hosts', () => topValues(db, ruleFilter, 'hostname', 8, nowMs, READ));
  time('rule page 30d: top users', () => topValues(db, ruleFilter, 'user', 8, nowMs, READ));
  time('rule page 30d: process chains', () => processTree(db, ruleFilter, 5000, nowMs));
  time('containers 30d: list (/api/containers)', () => containerRows(db, month, 500, nowMs, READ));
  time('containers 30d: chart stacked by container', () => timeline(db, month, 'container', 8, nowMs, READ));
  const containerFilter = f({ from: '30d', container: [container] });
  time('container page 30d: header (/api/containers?container=)', () => containerRows(db, containerFilter, 500, nowMs, READ));
  time('container page 30d: top rules', () => topValues(db, containerFilter, 'rule', 6, nowMs, READ));
  time('container page 30d: timeline by rule', () => timeline(db, containerFilter, 'rule', 8, nowMs, READ));
  time('container page 30d: process tree', () => processTree(db, containerFilter, 5000, nowMs));
  time('explorer 30d: process tree (all containers)', () => processTree(db, month, 5000, nowMs));
  // The kiosk's calls besides the overview's (summary, timeline and top lists, timed above): its
  // feed of the newest alerts at or above Warning, and the newest alert for "last alert N s ago".
  for (const range of ['24h', '30d']) {
    time(`kiosk ${range}: feed ≥ Warning (60)`, () => listEvents(db, f({ from: range, minPriority: 'Warning' }), page(60), nowMs));
    time(`kiosk ${range}: newest alert`, () => listEvents(db, f({ from: range }), page(1), nowMs));
  }
  time('alert detail (/api/events/:id)', () => getEventOrThrow(db, withChain.id));
  time('alert detail: related', () => relatedEvents(db, withChain.id));
  db.close();
}

main();
