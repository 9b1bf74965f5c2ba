// `npm run bench:queries`: fills a store with `npm run bench`'s alerts and times every query behind
// the pages, p50 and p95; each filter with its common, rare and absent value. See USAGE.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openDatabase, type Db } from '../lib/db/connection';
import { InvalidQuery } from '../lib/errors';
import { getEventOrThrow, listEvents } from '../lib/db/event-queries';
import { assertSearchAnswerable } from '../lib/db/event-search';
import { containerRows } from '../lib/db/containers';
import { processTree } from '../lib/db/process-tree';
import { rangeSummary } from '../lib/db/range-summary';
import { relatedEvents } from '../lib/db/related';
import { listGroups } from '../lib/db/groups';
import { ruleRows } from '../lib/db/rules';
import { timeline } from '../lib/db/timeline';
import { topValues } from '../lib/db/top-values';
import { EventFilter, type EventPage } from '../lib/filters/event-filter';
import { DEFAULT_GROUPING, GROUPING_NAMES, type GroupQuery } from '../lib/triage/groupings';
import { fillStore } from './lib/bench-fill';
import { BENCH_ABSENT, BENCH_RARE } from './lib/bench-irregular';

const USAGE = `usage: npm run bench:queries -- [--alerts 1000000] [--days 30] [--db FILE] [--runs 20] [--raw] [--only REGEX] [--no-refusal]
  Fills a store with the alerts of \`npm run bench\` (scripts/lib/bench-fill.ts; kept between runs), then
  times every query behind the dashboard's pages, p50 and p95 over repeated runs. Every filter is timed
  with its most common value in the range, its BENCH_RARE value (one alert in 100,000) and its
  BENCH_ABSENT one (scripts/lib/bench-irregular.ts), alone and with other filters. The SQL is what the
  API routes run; the routes add parsing and JSON only.
  --raw          reads every alert from \`events\`, leaving the counts out, for a comparison
  --only REGEX   times just the rows whose label matches (e.g. --only 'tree|chains')
  --no-refusal   answers the searches the API refuses as too broad (lib/db/event-search.ts)`;

function options() {
  try {
    return parseArgs({
      options: {
        alerts: { type: 'string', default: '1000000' },
        days: { type: 'string', default: '30' },
        runs: { type: 'string', default: '20' },
        db: { type: 'string' },
        raw: { type: 'boolean', default: false },
        only: { type: 'string' },
        'no-refusal': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
}
const given = options();
if (given.help) {
  console.log(USAGE);
  process.exit(0);
}

const ALERTS = Number(given.alerts);
const DAYS = Number(given.days);
const RUNS = Number(given.runs);
const DB_FILE = given.db ?? `/tmp/perch-bench-${ALERTS}-${DAYS}d.db`;
const READ = { rawOnly: given.raw };
const ONLY = given.only === undefined ? null : new RegExp(given.only, 'i');
const NO_REFUSAL = given['no-refusal'];

async function fill(nowMs: number) {
  const db = openDatabase(DB_FILE);
  const have = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  db.close();
  if (have >= ALERTS * 0.9) return;
  if (have > 0)
    throw new Error(
      `${DB_FILE} holds ${have.toLocaleString('en')} alerts, fewer than asked: delete it to fill it again`,
    );
  const result = await fillStore({
    file: DB_FILE,
    alerts: ALERTS,
    days: DAYS,
    nowMs,
    seed: 7,
    onProgress: ({ alerts, of, seconds }) =>
      process.stderr.write(
        `… ${alerts.toLocaleString('en')} of ${of.toLocaleString('en')} alerts (${Math.round(alerts / seconds)}/s)\n`,
      ),
  });
  process.stderr.write(`filled ${result.alerts.toLocaleString('en')} alerts in ${result.seconds.toFixed(0)} s\n`);
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

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

async function main() {
  if (!existsSync(DB_FILE)) process.stderr.write(`creating ${DB_FILE}\n`);
  const nowMs = Date.now();
  await fill(nowMs);
  const db = openDatabase(DB_FILE);
  const count = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  const f = (input: Record<string, unknown>) => EventFilter.parse(input);
  const page = (limit: number, cursor?: string): EventPage => ({ limit, cursor });
  const sample = listEvents(db, f({ from: '24h' }), page(200), nowMs).events;
  const withChain = sample.find((e) => e.procName && e.containerId && e.containerId !== 'host') ?? sample[0]!;
  const rule = withChain.rule;
  const container = withChain.containerId ?? 'host';

  console.log(
    `\n${count.toLocaleString('en')} alerts over ${DAYS} days in ${DB_FILE}; ${RUNS} runs each; times in ms${READ.rawOnly ? '; every alert read from events (--raw)' : ''}\n`,
  );
  console.log(`| ${'query (the API call behind it)'.padEnd(58)} | ${'p50'.padStart(8)} | ${'p95'.padStart(8)} |`);
  console.log(`|${'-'.repeat(60)}|${'-'.repeat(10)}|${'-'.repeat(10)}|`);
  for (const range of ['24h', '30d']) {
    const filter = f({ from: range });
    time(`overview ${range}: summary (/api/stats/summary)`, () => rangeSummary(db, filter, nowMs, READ));
    time(`overview ${range}: timeline by priority`, () => timeline(db, filter, 'priority', 8, nowMs, READ));
    for (const dimension of [
      'rule',
      'container',
      'namespace',
      'hostname',
      'source',
      'tactic',
      'technique',
      'proc',
      'user',
    ] as const) {
      time(`overview ${range}: top ${dimension}`, () => topValues(db, filter, dimension, 8, nowMs, READ));
    }
    time(`overview ${range}: newest 20`, () => listEvents(db, filter, page(20), nowMs));
  }
  const month = f({ from: '30d' });
  time('explorer 30d: first page (100)', () => listEvents(db, month, page(100), nowMs));
  let cursor: string | undefined;
  for (let i = 0; i < 49; i++) cursor = listEvents(db, month, page(100, cursor), nowMs).nextCursor ?? undefined;
  time('explorer 30d: page 50 (by cursor)', () => listEvents(db, month, page(100, cursor), nowMs));
  for (const [name, extra] of [
    ['priority set', { priority: ['Critical', 'Error'] }],
    ['minPriority Warning', { minPriority: 'Warning' }],
  ] as const) {
    const filter = f({ from: '30d', ...extra });
    time(`explorer 30d + ${name}: first page`, () => listEvents(db, filter, page(100), nowMs));
    time(`explorer 30d + ${name}: timeline`, () => timeline(db, filter, 'priority', 8, nowMs, READ));
  }
  // Every filter with the most common value of the range, a value in one alert of 100,000 and a
  // value that no alert has: what people type all day (a name from another cluster, a typo, a pod
  // that has gone) must answer as fast as a common one.
  const common = commonValues(db, nowMs);
  const rare: Record<FilterName, string> = {
    rule: BENCH_RARE.rule,
    hostname: BENCH_RARE.hostname,
    container: BENCH_RARE.containerId,
    image: BENCH_RARE.image,
    namespace: BENCH_RARE.namespace,
    pod: BENCH_RARE.pod,
    user: BENCH_RARE.user,
    tag: BENCH_RARE.tag,
    proc: BENCH_RARE.proc,
    chain: BENCH_RARE.chain,
    q: BENCH_RARE.q,
  };
  const absent: Record<FilterName, string> = {
    rule: BENCH_ABSENT.rule,
    hostname: BENCH_ABSENT.hostname,
    container: BENCH_ABSENT.containerId,
    image: BENCH_ABSENT.image,
    namespace: BENCH_ABSENT.namespace,
    pod: BENCH_ABSENT.pod,
    user: BENCH_ABSENT.user,
    tag: BENCH_ABSENT.tag,
    proc: BENCH_ABSENT.proc,
    chain: BENCH_ABSENT.chain,
    q: BENCH_ABSENT.q,
  };
  const input = (name: FilterName, value: string): Record<string, unknown> =>
    name === 'q' ? { q: value } : { [name]: [value] };
  process.stderr.write(`common values: ${JSON.stringify(common)}\n`);
  for (const name of FILTER_NAMES) {
    for (const [kind, value] of [
      ['common', common[name]],
      ['rare', rare[name]],
      ['absent', absent[name]],
    ] as const) {
      if (value === undefined) continue;
      const filter = f({ from: '30d', ...input(name, value) });
      time(`explorer 30d + ${name} ${kind}: first page`, () => listEvents(db, filter, page(100), nowMs));
      time(`explorer 30d + ${name} ${kind}: timeline`, () => timeline(db, filter, 'priority', 8, nowMs, READ));
      time(`explorer 30d + ${name} ${kind}: summary`, () => rangeSummary(db, filter, nowMs, READ));
    }
  }
  // The rare and absent values with other filters: a priority and the busiest rule, or a namespace.
  for (const name of FILTER_NAMES) {
    for (const [kind, value] of [
      ['rare', rare[name]],
      ['absent', absent[name]],
    ] as const) {
      const busy: [string, Record<string, unknown>] =
        name === 'rule'
          ? ['minPriority Warning + namespace common', { minPriority: 'Warning', namespace: [common.namespace] }]
          : ['minPriority Warning + rule common', { minPriority: 'Warning', rule: [common.rule] }];
      const place: [string, Record<string, unknown>] =
        name === 'namespace'
          ? ['hostname common', { hostname: [common.hostname] }]
          : ['namespace common', { namespace: [common.namespace] }];
      const withBusy = f({ from: '30d', ...busy[1], ...input(name, value) });
      const withPlace = f({ from: '30d', ...place[1], ...input(name, value) });
      time(`explorer 30d + ${name} ${kind} + ${busy[0]}: first page`, () => listEvents(db, withBusy, page(100), nowMs));
      time(`explorer 30d + ${name} ${kind} + ${busy[0]}: summary`, () => rangeSummary(db, withBusy, nowMs, READ));
      time(`explorer 30d + ${name} ${kind} + ${place[0]}: first page`, () =>
        listEvents(db, withPlace, page(100), nowMs),
      );
    }
  }
  // The common word with every other filter's common, rare and absent value: the word index answers
  // both at once (facet tokens, lib/db/facets.ts) instead of each match's row being read.
  for (const name of FILTER_NAMES) {
    if (name === 'q') continue;
    for (const [kind, value] of [
      ['common', common[name]],
      ['rare', rare[name]],
      ['absent', absent[name]],
    ] as const) {
      const filter = f({ from: '30d', q: common.q, ...input(name, value) });
      time(`explorer 30d + q common + ${name} ${kind}: first page`, () => listEvents(db, filter, page(100), nowMs));
      time(`explorer 30d + q common + ${name} ${kind}: timeline`, () =>
        timeline(db, filter, 'priority', 8, nowMs, READ),
      );
      time(`explorer 30d + q common + ${name} ${kind}: summary`, () => rangeSummary(db, filter, nowMs, READ));
    }
  }
  // Free text, with every call the explorer makes for it. The API refuses a prefix too broad to
  // answer quickly (lib/db/event-search.ts) before reading anything: such a row times the refusal.
  const searches: [string, string][] = [
    ['q common phrase ("/etc/")', '/etc/'],
    ['q prefix ("sh*")', 'sh*'],
    ['q one-letter prefix ("s*")', 's*'],
    ['q prefix ("she*")', 'she*'],
    ['q phrase with a prefix ("etc/sha*")', 'etc/sha*'],
  ];
  for (const [name, q] of searches) {
    const filter = f({ from: '30d', q });
    // What the API answers: its 400 for a refused search (unless --no-refusal), else the call's result.
    const api = (fn: () => unknown) => () => {
      try {
        if (!NO_REFUSAL) assertSearchAnswerable(db, filter);
      } catch (error) {
        if (error instanceof InvalidQuery) return error;
        throw error;
      }
      return fn();
    };
    const label = api(() => null)() instanceof InvalidQuery ? `${name} (refused: 400)` : name;
    time(
      `explorer 30d + ${label}: first page`,
      api(() => listEvents(db, filter, page(100), nowMs)),
    );
    time(
      `explorer 30d + ${label}: timeline`,
      api(() => timeline(db, filter, 'priority', 8, nowMs, READ)),
    );
    time(
      `explorer 30d + ${label}: summary`,
      api(() => rangeSummary(db, filter, nowMs, READ)),
    );
  }
  // The rules and containers pages open on the last day, whose charts have quarter-hour bars.
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
  time('container page 30d: header (/api/containers?container=)', () =>
    containerRows(db, containerFilter, 500, nowMs, READ),
  );
  time('container page 30d: top rules', () => topValues(db, containerFilter, 'rule', 6, nowMs, READ));
  time('container page 30d: timeline by rule', () => timeline(db, containerFilter, 'rule', 8, nowMs, READ));
  time('container page 30d: process tree', () => processTree(db, containerFilter, 5000, nowMs));
  time('explorer 30d: process tree (all containers)', () => processTree(db, month, 5000, nowMs));
  // The kiosk's calls besides the overview's (summary, timeline and top lists, timed above): its
  // feed of the newest alerts at or above Warning, and the newest alert for "last alert N s ago".
  for (const range of ['24h', '30d']) {
    time(`kiosk ${range}: feed ≥ Warning (60)`, () =>
      listEvents(db, f({ from: range, minPriority: 'Warning' }), page(60), nowMs),
    );
    time(`kiosk ${range}: newest alert`, () => listEvents(db, f({ from: range }), page(1), nowMs));
  }
  // Triage groups (/api/groups): the page opens on open groups, most severe first; every grouping,
  // every sort, a page by cursor, and a filter's common, rare and absent value.
  const groups = (extra: Partial<GroupQuery> = {}): GroupQuery => ({
    groupBy: DEFAULT_GROUPING,
    sort: 'priority',
    status: [],
    limit: 50,
    ...extra,
  });
  for (const range of ['24h', '7d', '30d']) {
    const filter = f({ from: range });
    time(`groups ${range}: open, most severe first (/api/groups)`, () =>
      listGroups(db, filter, groups({ status: ['open'] }), nowMs, READ),
    );
    for (const sort of ['count', 'lastSeen', 'firstSeen'] as const)
      time(`groups ${range}: by ${sort}`, () => listGroups(db, filter, groups({ sort }), nowMs, READ));
    for (const groupBy of GROUPING_NAMES.filter((name) => name !== DEFAULT_GROUPING))
      time(`groups ${range}: grouped by ${groupBy}`, () => listGroups(db, filter, groups({ groupBy }), nowMs, READ));
  }
  const second = listGroups(db, month, groups(), nowMs, READ).nextCursor ?? undefined;
  time('groups 30d: page 2 (by cursor)', () => listGroups(db, month, groups({ cursor: second }), nowMs, READ));
  for (const name of ['rule', 'namespace', 'q'] as const)
    for (const [kind, value] of [
      ['common', common[name]],
      ['rare', rare[name]],
      ['absent', absent[name]],
    ] as const) {
      const filter = f({ from: '30d', ...input(name, value) });
      time(`groups 30d + ${name} ${kind}`, () => listGroups(db, filter, groups(), nowMs, READ));
    }
  const busiest = listGroups(db, month, groups({ sort: 'count', limit: 1 }), nowMs, READ).groups[0];
  if (busiest)
    time('groups 30d: the busiest group’s alerts, first page', () =>
      listEvents(db, f({ from: '30d', group: [busiest.key], rule: [busiest.fields.rule] }), page(100), nowMs),
    );
  time('groups 30d: open alerts (status=open), first page', () =>
    listEvents(db, f({ from: '30d', status: ['open'] }), page(100), nowMs),
  );
  time('alert detail (/api/events/:id)', () => getEventOrThrow(db, withChain.id));
  time('alert detail: related', () => relatedEvents(db, withChain.id));
  db.close();
}

const FILTER_NAMES = [
  'rule',
  'hostname',
  'container',
  'image',
  'namespace',
  'pod',
  'user',
  'tag',
  'proc',
  'chain',
  'q',
] as const;
type FilterName = (typeof FILTER_NAMES)[number];

/**
 * The most common value of each filter among the range's alerts (Falco's health events aside). A
 * chain's is its most common root; free text's, the most common word of the busiest rule's name.
 */
function commonValues(db: Db, nowMs: number): Record<FilterName, string> {
  const sinceNs = BigInt(nowMs - DAYS * 86_400_000) * 1_000_000n;
  const sinceHour = Math.floor((nowMs - DAYS * 86_400_000) / 3_600_000);
  const top = (sql: string) => {
    const row = db.prepare(sql).get({ sinceNs, sinceHour }) as { value: string } | undefined;
    if (row === undefined) throw new Error(`no common value: ${sql}`);
    return row.value;
  };
  const column = (expression: string) =>
    top(
      `SELECT ${expression} AS value FROM events WHERE time_ns >= @sinceNs AND internal = 0 AND value IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
    );
  const rule = column('rule');
  db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.bench_words USING fts5vocab('main', 'event_search', 'row')");
  const docs = db.prepare('SELECT doc FROM temp.bench_words WHERE term = ?').pluck();
  const words = [...new Set(rule.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? [])];
  const q = words
    .map((word) => [word, (docs.get(word) as number | undefined) ?? 0] as const)
    .sort((a, b) => b[1] - a[1])[0]![0];
  return {
    rule,
    hostname: column('hostname'),
    container: column('container_id'),
    image: column('image_repository'),
    namespace: column('k8s_ns'),
    pod: column('k8s_pod'),
    user: column('user_name'),
    tag: top(
      'SELECT tag AS value FROM tag_counts_1h WHERE hour >= @sinceHour AND internal = 0 GROUP BY 1 ORDER BY sum(alerts) DESC, 1 LIMIT 1',
    ),
    proc: top(
      'SELECT name AS value FROM process_counts_1h WHERE hour >= @sinceHour AND internal = 0 GROUP BY 1 ORDER BY sum(alerts) DESC, 1 LIMIT 1',
    ),
    chain: column(
      'CASE WHEN instr(process_chain, char(31)) > 0 THEN substr(process_chain, 1, instr(process_chain, char(31)) - 1) ELSE process_chain END',
    ),
    q,
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
