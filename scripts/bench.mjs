// @ts-check
// npm run bench: Perch's benchmark on temporary stores, reported between docs/benchmarks.md's bench
// markers (USAGE below). A tool, not a test: missed targets are reported, not failed.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { download, httpClient, load, spread, streamClient } from './lib/bench-http.mjs';
import { annotateQueryTables, int, kb, mb, ms, pct, table, Targets, writeMarked } from './lib/bench-report.mjs';
import { measurePages } from './lib/bench-pages.mjs';
import { benchEnv, runChild, startServer } from './lib/bench-server.mjs';
import { ensureBuild, nodeBin, root } from './lib/prepare.mjs';

const PARTS = ['ingest', 'import', 'queries', 'pages', 'stream', 'size', 'js'];

const USAGE = `usage: npm run bench -- [options]

  --alerts N     alerts in the store for import, queries, pages and size (default 1000000)
  --days D       the window they spread over, ending now (default 30)
  --parts LIST   any of ${PARTS.join(',')} (default: all)
  --seconds S    seconds per ingest measurement (default 8)
  --runs R       runs per query for p50 / p95 (default 20)
  --clients C    live-stream clients (default 50)
  --out FILE     the report's file, written between its bench markers (default docs/benchmarks.md)
  --dir DIR      where the temporary stores go (default the system's temp folder; about 6.5 KB of
                 disk per alert with the import part, 2.5 KB without)
  --keep         keep the temporary folder (stores, NDJSON files, server logs)
  --smoke        check that every part runs: 3,000 alerts, 1.5 s per measurement, 3 runs,
                 10 clients; prints the report and writes no docs

The store for queries, pages and size is made by \`npm run import\` of a generated NDJSON file
when the import part runs (at 1,000,000 alerts some 15 minutes, slowing as the store grows; the
report gives its rate and the raw insert's per 100,000 alerts).
Without it the same alerts are written straight into a store made by Perch's migrations, by
Perch's own writer, generated on worker threads, with no fsync (scripts/lib/bench-fill.ts):
no NDJSON file, about 3,000 alerts/s on two free cores (docs/benchmarks.md). For 10,000,000
alerts (about 23 GB in --dir, about an hour for the fill):

  npm run bench -- --alerts 10000000 --parts queries,pages,size`;

/** @param {string[]} argv */
function parseOptions(argv) {
  const str = /** @type {const} */ ({ type: 'string' });
  const flag = /** @type {const} */ ({ type: 'boolean' });
  const { values: given } = parseArgs({
    args: argv,
    options: {
      alerts: str,
      days: str,
      parts: str,
      seconds: str,
      runs: str,
      clients: str,
      out: str,
      dir: str,
      smoke: flag,
      keep: flag,
      help: flag,
    },
  });
  if (given.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const smoke = given.smoke === true;
  /** @type {(name: 'alerts' | 'days' | 'seconds' | 'runs' | 'clients', fallback: number, min: number) => number} */
  const number = (name, fallback, min) => {
    const value = Number(given[name] ?? fallback);
    if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number of at least ${min}`);
    return value;
  };
  const parts =
    given.parts === undefined
      ? PARTS
      : given.parts
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean);
  const unknown = parts.filter((p) => !PARTS.includes(p));
  if (unknown.length > 0) throw new Error(`unknown part(s): ${unknown.join(', ')} (parts: ${PARTS.join(', ')})`);
  const alerts = Math.round(number('alerts', smoke ? 3_000 : 1_000_000, 100));
  return {
    smoke,
    parts: new Set(parts),
    alerts,
    days: number('days', 30, 0.01),
    seconds: number('seconds', smoke ? 1.5 : 8, 0.2),
    runs: Math.round(number('runs', smoke ? 3 : 20, 1)),
    clients: Math.round(number('clients', smoke ? 10 : 50, 1)),
    streamSeconds: smoke ? 3 : 10,
    exportRuns: smoke ? 2 : 3,
    // Extra alerts past a short measurement, so the raw rate is not timed on a few hundred rows.
    rawMinRows: smoke ? 2_000 : 10_000,
    poolSize: Math.min(alerts, 20_000),
    // The import's and the raw insert's rates per this many alerts; at most 20 rows past 2 million.
    importSegment: smoke ? 1_000 : Math.max(1, Math.ceil(alerts / 2_000_000)) * 100_000,
    out: given.out ?? (smoke ? null : path.join(root, 'docs', 'benchmarks.md')),
    dir: given.dir ?? os.tmpdir(),
    keep: given.keep === true,
  };
}

/** @typedef {ReturnType<typeof parseOptions>} Options */
/** @typedef {Awaited<ReturnType<typeof startServer>>} Server */
/** @typedef {{ from: number, to: number, importRate: number, rawRate: number, ratio: number }} SegmentRate */
/** @typedef {{ label: string, prefix: string, from: number, count: number }} Segment */
/**
 * @typedef {{ key: string, what: string, concurrency: number, requests: number, seconds: number, perSecond: number,
 *   latency: ReturnType<typeof spread>, alertsPerSecond: number, segment: Segment | null, raw?: { rate: number } }} IngestRow
 */

const log = (/** @type {string} */ message) => process.stderr.write(`[bench] ${message}\n`);
/** @type {(script: string, args: string[]) => [string, string[]]} */
const tsx = (script, args) => [nodeBin('tsx'), ['--conditions=react-server', script, ...args]];
/** @type {(text: string) => any[]} */
const jsonLines = (text) =>
  text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
/** A copy of an alert with a uuid, so a re-sent pool line is a new alert (as in scripts/lib/bench-alerts.ts). */
const withUuid = (/** @type {string} */ line, /** @type {string} */ uuid) =>
  `{"uuid":${JSON.stringify(uuid)},${line.slice(1)}`;

/**
 * Nanoseconds since the epoch as the API's ISO time with nine fractional digits.
 * @param {bigint} ns
 */
function isoNs(ns) {
  const seconds = ns / 1_000_000_000n;
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}.${String(ns % 1_000_000_000n).padStart(9, '0')}Z`;
}

/**
 * Runs `fn` while sampling the load average: its result and the samples' mean.
 * @template T
 * @param {() => Promise<T>} fn
 * @returns {Promise<[T, number]>}
 */
async function underLoad(fn) {
  const loadNow = () => os.loadavg()[0] ?? 0;
  const samples = [loadNow()];
  const timer = setInterval(() => samples.push(loadNow()), 5_000);
  try {
    const result = await fn();
    samples.push(loadNow());
    return [result, samples.reduce((a, b) => a + b, 0) / samples.length];
  } finally {
    clearInterval(timer);
  }
}

/**
 * Rates per segment of the same rows, from each side's cumulative {alerts, seconds}: a segment ends
 * where both sides have a point, so a boundary that one side skipped merges two segments.
 * @param {readonly { alerts: number, seconds: number }[]} importPoints
 * @param {readonly { alerts: number, seconds: number }[]} rawPoints
 */
function segmentRates(importPoints, rawPoints) {
  const rawSeconds = new Map(rawPoints.map((p) => [p.alerts, p.seconds]));
  /** @type {SegmentRate[]} */
  const rows = [];
  let before = { alerts: 0, importSeconds: 0, rawSeconds: 0 };
  for (const { alerts, seconds } of importPoints) {
    if (!rawSeconds.has(alerts) || alerts <= before.alerts) continue;
    const n = alerts - before.alerts;
    const importRate = n / (seconds - before.importSeconds);
    const rawAt = rawSeconds.get(alerts) ?? NaN;
    const rawRate = n / (rawAt - before.rawSeconds);
    rows.push({ from: before.alerts + 1, to: alerts, importRate, rawRate, ratio: importRate / rawRate });
    before = { alerts, importSeconds: seconds, rawSeconds: rawAt };
  }
  return rows;
}

/** @type {Record<number, string>} */
const FS_TYPES = {
  61267: 'ext4',
  16914836: 'tmpfs',
  1481003842: 'xfs',
  2435016766: 'btrfs',
  2035054128: 'overlayfs',
  26985: 'nfs',
  801189825: 'zfs',
};

/** @param {Options} options */
function machine(options) {
  const db = new Database(':memory:');
  const sqlite = /** @type {{ v: string }} */ (db.prepare('SELECT sqlite_version() AS v').get()).v;
  db.close();
  const version = (/** @type {string} */ name) =>
    JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  let fs = 'unknown';
  try {
    fs = FS_TYPES[statfsSync(options.dir).type] ?? `0x${statfsSync(options.dir).type.toString(16)}`;
  } catch {
    // statfs is missing on old Node versions
  }
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model?.replace(/\s+/g, ' ').trim() ?? 'unknown',
    node: process.version,
    sqlite,
    betterSqlite: version('better-sqlite3'),
    next: version('next'),
    load: os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' / '),
    fs,
  };
}

// ─── Parts ───────────────────────────────────────────────────────────────────────────────────────

class Bench {
  /** @param {Options} options */
  constructor(options) {
    this.options = options;
    this.targets = new Targets();
    /** @type {{ name: string, message: string }[]} */
    this.failures = [];
    /** @type {string[]} */
    this.pool = [];
    /** @type {IngestRow[] | undefined} */
    this.ingestRows = undefined;
    this.peakRss = NaN;
    /** @type {{ alerts: number, imported: number, seconds: number, wallSeconds: number, rate: number } | undefined} */
    this.importResult = undefined;
    /** @type {{ rate: number } | undefined} */
    this.rawImport = undefined;
    /** @type {{ alerts: number, seconds: number }[] | undefined} */
    this.rawImportPoints = undefined;
    /** @type {SegmentRate[] | null | undefined} */
    this.importSegments = undefined;
    this.importLoad = NaN;
    this.rawImportLoad = NaN;
    /** @type {({ clients: number, alerts: number, early: number } & ReturnType<typeof spread>) | undefined} */
    this.streamResult = undefined;
    /** @type {{ name: string, page: string, scripts: number, raw: number, gzip: number }[] | undefined} */
    this.jsRows = undefined;
    this.jsCompressedHere = false;
    /** @type {Awaited<ReturnType<typeof measurePages>> | undefined} */
    this.pageRows = undefined;
    /** @type {{ lines: number, long: number, bytes?: number } | undefined} */
    this.generated = undefined;
    /** @type {{ alerts: number, long: number, seconds: number, rate: number, peakRss: number, wallSeconds: number } | undefined} */
    this.filled = undefined;
    /** @type {{ alerts: number, bytes: number, parts: Map<string, number> | null } | undefined} */
    this.sizeResult = undefined;
    /** @type {string | undefined} */
    this.queryTable = undefined;
    /** @type {{ rows: string[][], export: { alerts: number, bytes: number, seconds: ReturnType<typeof spread>, runs: number } } | undefined} */
    this.httpQueryResult = undefined;
    /** @type {string[][] | undefined} */
    this.stallRows = undefined;
    /** @type {[number | string, number][] | undefined} */
    this.shapeSamples = undefined;
    /** @type {{ perSet: number, sets: string[] } | undefined} */
    this.shapeSets = undefined;
    this.runId = randomBytes(4).toString('hex');
    this.seq = 0;
    this.nowMs = Date.now();
    mkdirSync(options.dir, { recursive: true });
    this.tmp = mkdtempSync(path.join(options.dir, 'perch-bench-'));
    this.loadAtStart = os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ');
  }

  /** @param {string} name */
  file(name) {
    return path.join(this.tmp, name);
  }

  /** Runs one part; a failure is recorded (the command exits non-zero) and the other parts go on. */
  /**
   * @param {string} name
   * @param {() => Promise<unknown>} fn
   */
  async part(name, fn) {
    log(`${name}…`);
    const started = performance.now();
    try {
      await fn();
      log(`${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.failures.push({ name, message });
      log(`${name} FAILED: ${message}`);
      return false;
    }
  }

  /**
   * Starts a server as a part of its own; null when it could not start.
   * @param {string} name
   * @param {Parameters<typeof startServer>[0]} options
   * @returns {Promise<Server | null>}
   */
  async startPart(name, options) {
    /** @type {Server[]} */
    const started = [];
    await this.part(name, async () => started.push(await startServer(options)));
    return started[0] ?? null;
  }

  /**
   * @param {string} file
   * @param {number} alerts
   */
  async generate(file, alerts) {
    const args = [
      'generate',
      '--alerts',
      String(alerts),
      '--days',
      String(this.options.days),
      '--now',
      String(this.nowMs),
      '--out',
      file,
    ];
    const { stdout } = await runChild(...tsx('scripts/bench-data.ts', args));
    return jsonLines(stdout)[0];
  }

  // ── Ingest through HTTP, then the raw insert of the same rows ──

  nextLine(prefix = this.runId) {
    const seq = this.seq++;
    return withUuid(this.pool[seq % this.pool.length] ?? '', `${prefix}-${seq}`);
  }

  /** @param {Server} server */
  async ingest(server) {
    const { seconds } = this.options;
    const client = httpClient(server.origin);
    const post = (/** @type {string} */ body) => client.request('POST', '/api/events', body);
    const batch = async () => {
      const lines = Array.from({ length: 1000 }, () => this.nextLine());
      const answer = JSON.parse((await client.request('POST', '/api/events', lines.join('\n'), { read: true })).text);
      if (answer.stored !== 1000) throw new Error(`an NDJSON batch stored ${answer.stored} of 1000`);
    };
    // Warm up: JIT, statement caches, the first group commits (left out of the results).
    for (let i = 0; i < 20; i++) await client.request('GET', '/api/health');
    await load({ seconds: Math.min(1, seconds), concurrency: 8, send: () => post(this.nextLine(`${this.runId}w`)) });
    await batch();

    /** @type {IngestRow[]} */
    const rows = [];
    /** @type {(row: { key: string, what: string }, concurrency: number, send: () => Promise<unknown>, alertsPerRequest: number) => Promise<void>} */
    const measure = async (row, concurrency, send, alertsPerRequest) => {
      const from = this.seq;
      const result = await load({ seconds, concurrency, send });
      rows.push({
        ...row,
        concurrency,
        ...result,
        alertsPerSecond: result.perSecond * alertsPerRequest,
        segment: alertsPerRequest ? { label: row.key, prefix: this.runId, from, count: this.seq - from } : null,
      });
      log(`  ${row.what} c=${concurrency}: ${int(result.perSecond * (alertsPerRequest || 1))}/s`);
    };
    await measure(
      { key: 'health', what: "`GET /api/health` (the framework's per-request ceiling)" },
      32,
      () => client.request('GET', '/api/health'),
      0,
    );
    for (const c of [1, 32, 128])
      await measure({ key: `single-${c}`, what: 'Single-alert `POST /api/events`' }, c, () => post(this.nextLine()), 1);
    // One sender waits for each answer; log shippers (Vector, Fluent Bit) keep a few batches in flight.
    for (const c of [1, 4])
      await measure({ key: `ndjson-${c}`, what: 'NDJSON, 1,000 alerts per POST' }, c, batch, 1000);
    client.close();
    this.ingestRows = rows;
    this.peakRss = server.memory('VmHWM');
  }

  async rawForIngest() {
    const segments = (this.ingestRows ?? []).filter((row) => row.segment).map((row) => row.segment);
    const args = [
      'raw',
      '--db',
      this.file('raw-ingest.db'),
      '--pool',
      this.file('pool.ndjson'),
      '--segments',
      JSON.stringify(segments),
      '--min-rows',
      String(this.options.rawMinRows),
    ];
    const { stdout } = await runChild(...tsx('scripts/bench-data.ts', args));
    const raw = new Map(jsonLines(stdout).map((r) => [r.label, r]));
    for (const row of this.ingestRows ?? []) row.raw = raw.get(row.key);
    rmSync(this.file('raw-ingest.db'), { force: true });
  }

  ingestSection() {
    /** @type {unknown[][]} */
    const rows = [];
    const health = this.ingestRows?.find((r) => r.key === 'health');
    for (const row of this.ingestRows ?? []) {
      const ratio = row.raw ? row.alertsPerSecond / row.raw.rate : NaN;
      let target = '';
      let verdict = '';
      if (row.key === 'single-32' && health) {
        const share = row.alertsPerSecond / health.perSecond;
        target = `≥ 80% of /api/health: ${pct(share)}`;
        verdict = this.targets.check('single-alert POST c=32 vs GET /api/health', share, 0.8, 'atLeast', pct(share));
      } else if (row.key.startsWith('ndjson-')) {
        target = '≥ 60% of raw';
        verdict = this.targets.check(
          `NDJSON ingest c=${row.concurrency} vs raw insert`,
          ratio,
          0.6,
          'atLeast',
          pct(ratio),
        );
      }
      rows.push([
        row.what,
        row.concurrency,
        row.key === 'health' ? `${int(row.perSecond)} req/s` : int(row.alertsPerSecond),
        row.raw ? int(row.raw.rate) : '—',
        pct(ratio),
        `${ms(row.latency.p50)} / ${ms(row.latency.p95)}`,
        target,
        verdict,
      ]);
    }
    if (this.importResult && this.options.parts.has('import')) {
      const { alerts, rate } = this.importResult;
      const raw = this.rawImport;
      const ratio = raw ? rate / raw.rate : NaN;
      rows.push([
        `\`npm run import\` of a ${int(alerts)}-line NDJSON file`,
        1,
        int(rate),
        raw ? int(raw.rate) : '—',
        pct(ratio),
        '—',
        '≥ 60% of raw',
        raw ? this.targets.check('npm run import vs raw insert', ratio, 0.6, 'atLeast', pct(ratio)) : '',
      ]);
      const last = this.importSegments?.at(-1);
      if (last && (this.importSegments?.length ?? 0) > 1) {
        const what = `alerts ${int(last.from)}–${int(last.to)}`;
        rows.push([
          `… its last ${int(last.to - last.from + 1)} (${what})`,
          1,
          int(last.importRate),
          int(last.rawRate),
          pct(last.ratio),
          '—',
          '≥ 60% of raw',
          this.targets.check(
            `npm run import vs raw insert, the last ${what}`,
            last.ratio,
            0.6,
            'atLeast',
            pct(last.ratio),
          ),
        ]);
      }
    }
    if (rows.length === 0) return null;
    const lines = [
      '### Ingest',
      '',
      table(
        [
          'What',
          'Concurrency',
          'Perch alerts/s',
          'Raw insert, same rows/s',
          'Perch / raw',
          'Latency p50 / p95 ms',
          'Target',
          '',
        ],
        rows,
        [1, 2, 3, 4, 5],
      ),
      '',
    ];
    if (this.ingestRows) {
      lines.push(
        `Through the production server (\`scripts/serve.mjs\`) with keep-alive, ${this.options.seconds} s per row, on a fresh store; every 2xx`,
        'comes after the commit (WAL, `synchronous=FULL`). Alerts are the generated ones, each sent with its own uuid.',
        '"Raw insert" is the same rows, prepared beforehand, inserted with plain better-sqlite3 statements into the same',
        `schema in 1,000-row transactions (scripts/lib/raw-insert.ts; at least ${int(this.options.rawMinRows)} rows per measurement), timed in the same run after the server stopped.`,
        '',
      );
      const rssVerdict = this.targets.check(
        'server peak RSS under ingest',
        this.peakRss,
        500e6,
        'below',
        mb(this.peakRss),
      );
      lines.push(
        `Server memory: peak RSS (VmHWM) after the ingest rows **${mb(this.peakRss)}** — target < 500 MB: ${rssVerdict}.`,
        '',
      );
    }
    if (this.importResult && this.options.parts.has('import')) {
      const { wallSeconds, seconds } = this.importResult;
      lines.push(
        `Import: ${seconds.toFixed(1)} s by its own clock (${wallSeconds.toFixed(1)} s for the whole command, start-up included) into a fresh store.`,
        '',
      );
      const segments = this.importSegments ?? [];
      if (segments.length > 0) {
        const worst = segments.reduce((a, b) => (b.ratio < a.ratio ? b : a));
        const span = (/** @type {SegmentRate} */ r) => `${int(r.from)}–${int(r.to)}`;
        const rows = segments.map((r) => {
          const notes = [
            r.ratio < 0.6 ? '**below 60%**' : '',
            r === worst && segments.length > 1 ? 'the worst' : '',
          ].filter(Boolean);
          return [span(r), int(r.importRate), int(r.rawRate), pct(r.ratio), notes.join(', ')];
        });
        const below = segments.filter((r) => r.ratio < 0.6).length;
        lines.push(
          `Per ${int(this.options.importSegment)} alerts of the file, in its order (the store growing): the import's rate is the wall time of those alerts`,
          "through it (read, checked on its worker thread, written; the worker's start in the first row), from its `PERCH_IMPORT_PROGRESS`",
          "lines; the raw insert's is the time of its 1,000-row transactions alone, the rows prepared beforehand and not timed",
          '(scripts/lib/raw-insert.ts), into a fresh store of the same schema, in the same run before the import.',
          '',
          table(['Alerts', 'Import alerts/s', 'Raw alerts/s', 'Import ÷ raw', ''], rows, [1, 2, 3]),
          '',
          `The worst segment, alerts ${span(worst)}: ${pct(worst.ratio)} of raw; ${below === 0 ? 'none' : `${below} of ${segments.length}`} below 60%.`,
          `The two ran one after the other, so other work on the machine shows in the ratio: the 1-minute load average was ${this.rawImportLoad.toFixed(1)}`,
          `on average while the raw insert ran and ${this.importLoad.toFixed(1)} while the import ran (${os.cpus().length} CPUs; sampled every 5 s).`,
          '',
        );
      }
    }
    return lines.join('\n');
  }

  // ── Stream fan-out ──

  /** @param {Server} server */
  async stream(server) {
    const { clients: clientCount, streamSeconds } = this.options;
    /** @type {Map<string, (number | undefined)[]>} */
    const arrivals = new Map();
    const clients = await Promise.all(
      Array.from({ length: clientCount }, (_, c) =>
        streamClient(server.origin, '/api/stream', (event, data, receivedAt) => {
          if (event !== 'alerts') return;
          for (const alert of JSON.parse(data).alerts) {
            const times = arrivals.get(alert.uuid);
            if (times && times[c] === undefined) times[c] = receivedAt;
          }
        }),
      ),
    );
    const client = httpClient(server.origin);
    const lines = this.pool.filter((line) => !line.includes('"source":"internal"'));
    const count = Math.round(streamSeconds * 5);
    /** @type {Map<string, number>} */
    const acks = new Map();
    for (let i = 0; i < count; i++) {
      const uuid = `${this.runId}-stream-${i}`;
      arrivals.set(uuid, new Array(clientCount));
      await client.request('POST', '/api/events', withUuid(lines[i % lines.length] ?? '', uuid));
      acks.set(uuid, performance.now());
      await sleep(200);
    }
    const complete = () =>
      [...arrivals.values()].every((times) => times.filter((t) => t !== undefined).length === clientCount);
    for (let waited = 0; waited < 5000 && !complete(); waited += 50) await sleep(50);
    for (const c of clients) c.close();
    client.close();
    /** @type {number[]} */
    const delays = [];
    let early = 0;
    let missing = 0;
    for (const [uuid, times] of arrivals) {
      for (let c = 0; c < clientCount; c++) {
        const time = times[c];
        if (time === undefined) missing++;
        else {
          const delay = time - (acks.get(uuid) ?? time);
          if (delay < 0) early++;
          delays.push(Math.max(0, delay));
        }
      }
    }
    if (missing > 0) throw new Error(`${missing} of ${count * clientCount} deliveries never arrived`);
    this.streamResult = { clients: clientCount, alerts: count, ...spread(delays), early };
  }

  streamSection() {
    const s = this.streamResult;
    if (!s) return null;
    const verdict = this.targets.check(
      `stream delivery at ${s.clients} clients (p95)`,
      s.p95,
      1000,
      'below',
      `${ms(s.p95)} ms`,
    );
    return [
      '### Live stream fan-out',
      '',
      `${s.clients} clients on \`GET /api/stream\`, ${s.alerts} alerts posted one at a time (5 a second): the time from each POST's 2xx`,
      `to the alert's arrival at each client (${int(s.n)} deliveries; ${int(s.early)} arrived before the 2xx itself and count as 0).`,
      '',
      table(
        ['Clients', 'p50 ms', 'p95 ms', 'max ms', 'Target', ''],
        [[s.clients, ms(s.p50), ms(s.p95), ms(s.max), '< 1,000 ms (p95)', verdict]],
        [0, 1, 2, 3],
      ),
      '',
    ].join('\n');
  }

  // ── First-load JavaScript per page ──

  /** Every page, as [name, path], with a real alert, rule and container of the store. */
  /**
   * @param {import('./lib/bench-http.mjs').HttpClient} client
   * @returns {Promise<[name: string, path: string][]>}
   */
  async pageList(client) {
    const [newest] = (await client.getJson('/api/events?from=all&limit=1')).events;
    if (!newest) throw new Error('the store has no alert to open');
    const { containers } = await client.getJson('/api/containers?from=all');
    const container =
      containers.find(
        (/** @type {{ containerId: string | null }} */ c) =>
          c.containerId && c.containerId !== 'host' && c.containerId !== '(none)',
      ) ?? containers[0];
    return [
      ['Overview', '/'],
      ['Alerts', '/events'],
      ['Alert', `/events/${newest.id}`],
      ['Rules', '/rules'],
      ['Rule', `/rules/${encodeURIComponent(newest.rule)}`],
      ['Containers', '/containers'],
      ['Container', `/containers/${encodeURIComponent(container?.containerId ?? 'host')}`],
      ['Groups', '/groups'],
      ['Falco health', '/health'],
      ['Kiosk', '/kiosk'],
    ];
  }

  /** @param {Server} server */
  async js(server) {
    const client = httpClient(server.origin);
    const pages = await this.pageList(client);
    /** @type {Map<string, { raw: number, gzip: number }>} */
    const sizes = new Map();
    /** @type {NonNullable<Bench['jsRows']>} */
    const rows = [];
    for (const [name, page] of pages) {
      const { text, path: served } = await client.request('GET', page, undefined, { read: true, follow: 3 });
      // Scripts the page runs, and scripts its head preloads: the browser fetches both on the first load.
      const preloaded = [...text.matchAll(/<link\b[^>]*>/g)]
        .map(([tag]) => tag)
        .filter(
          (tag) => /\srel="modulepreload"/.test(tag) || (/\srel="preload"/.test(tag) && /\sas="script"/.test(tag)),
        )
        .map((tag) => /\shref="([^"]+)"/.exec(tag)?.[1])
        .filter((href) => href !== undefined);
      // A `noModule` script (Next's polyfills) is for browsers without modules: Chromium never fetches it.
      const run = [...text.matchAll(/<script\b[^>]*>/g)]
        .map(([tag]) => tag)
        .filter((tag) => !/\snomodule(?:[\s=>])/i.test(tag));
      const sources = [
        ...run.map((tag) => /\ssrc="([^"]+)"/.exec(tag)?.[1]).filter((src) => src !== undefined),
        ...preloaded,
      ];
      const scripts = [...new Set(sources.map((src) => src.replaceAll('&amp;', '&')))];
      if (scripts.length === 0) throw new Error(`${served} has no <script src>`);
      let raw = 0;
      let gzip = 0;
      for (const src of scripts) {
        if (!sizes.has(src)) {
          const url = new URL(src, server.origin);
          const { data, headers } = await client.request('GET', url.pathname + url.search, undefined, {
            read: true,
            headers: { 'accept-encoding': 'gzip' },
          });
          // What the server sends a browser; compressed here when it sends the file as it is.
          if (headers['content-encoding'] === 'gzip')
            sizes.set(src, { raw: gunzipSync(data).length, gzip: data.length });
          else {
            this.jsCompressedHere = true;
            sizes.set(src, { raw: data.length, gzip: gzipSync(data).length });
          }
        }
        raw += sizes.get(src)?.raw ?? 0;
        gzip += sizes.get(src)?.gzip ?? 0;
      }
      rows.push({ name, page: served, scripts: scripts.length, raw, gzip });
    }
    client.close();
    this.jsRows = rows;
  }

  jsSection() {
    if (!this.jsRows) return null;
    const rows = this.jsRows.map((r) => [
      `${r.name} (\`${r.page.length > 40 ? `${r.page.slice(0, 37)}…` : r.page}\`)`,
      r.scripts,
      kb(r.raw),
      kb(r.gzip),
      '< 300 KB',
      this.targets.check(r.name, r.gzip, 300e3, 'below', kb(r.gzip), 'first-load JS of the pages (< 300 KB)'),
    ]);
    return [
      '### First-load JavaScript per page',
      '',
      "Every `<script src>` in the page's HTML (after its redirect to the default range) but the `noModule` polyfills, which",
      "Chromium never fetches, and every script its head preloads, fetched and summed. The chart's code loads after first paint",
      'and is not counted here. "Gzip" is',
      this.jsCompressedHere
        ? 'the bytes `zlib.gzipSync` makes of them at its default level (the server sent some uncompressed).'
        : 'the bytes the server sends a browser that accepts gzip; "Raw" the same files uncompressed.',
      '',
      table(['Page', 'Scripts', 'Raw', 'Gzip', 'Target', ''], rows, [1, 2, 3]),
      '',
    ].join('\n');
  }

  // ── Time to usable per page, in Chromium, on the filled store ──

  /** @param {Server} server */
  async pages(server) {
    const client = httpClient(server.origin);
    const pages = await this.pageList(client);
    client.close();
    // The explorer as an analyst opens it over a month, and its process tree over the same month;
    // then the month with one filter: a common word, the generator's rare
    // and absent values. And the overview over the month.
    const { stdout } = await runChild(...tsx('scripts/bench-data.ts', ['values']));
    const { rare, absent } = JSON.parse(stdout);
    const month = (/** @type {string} */ query) => `/events?from=30d&${query}`;
    pages.splice(
      2,
      0,
      ['Alerts, 30 days', '/events?from=30d'],
      ['Process tree, 30 days', '/events?from=30d&view=tree'],
      ['Alerts, 30 days, a common word', month('q=bash')],
      ['Alerts, 30 days, a rare user', month(`user=${encodeURIComponent(rare.user)}`)],
      ['Alerts, 30 days, an absent pod', month(`pod=${encodeURIComponent(absent.pod)}`)],
      ['Alerts, 30 days, a rare chain', month(`chain=${encodeURIComponent(rare.chain)}`)],
      ['Alerts, 30 days, a rare tag', month(`tag=${encodeURIComponent(rare.tag)}`)],
      ['Overview, 30 days', '/?from=30d'],
      ['Groups, 30 days, by count', '/groups?from=30d&sort=count'],
    );
    this.pageRows = await measurePages(server.origin, pages, { loads: this.options.smoke ? 2 : 5 });
  }

  pagesSection() {
    if (!this.pageRows) return null;
    const rows = this.pageRows.map((r) => {
      const worst = Math.max(r.cold ?? NaN, r.warm.max);
      return [
        `${r.name} (\`${r.url.length > 40 ? `${r.url.slice(0, 37)}…` : r.url}\`)`,
        r.apiCalls,
        ms(r.cold),
        ms(r.warm.p50),
        ms(r.warm.max),
        '< 2,000',
        this.targets.check(
          r.name,
          worst,
          2000,
          'below',
          `${ms(worst)} ms (slowest load)`,
          'pages usable after navigation (< 2 s)',
        ),
      ];
    });
    return [
      '### Pages: time to usable',
      '',
      `Chromium (headless, 1440×900) against the production server on ${this.storeName()}, ${this.options.smoke ? 2 : 5} loads per page: the first in a fresh`,
      'browser context, then reloads; each page was opened once before, untimed, so the server has served it (as a running server has).',
      'Timed from navigation until every panel has its data (no loading state left) and a row, chart, tree',
      'or chain is on screen (scripts/lib/bench-pages.mjs). "API calls" counts the first load\'s requests to /api/, the stream aside.',
      '',
      table(['Page', 'API calls', 'First load ms', 'Reload p50 ms', 'Reload max ms', 'Target', ''], rows, [1, 2, 3, 4]),
      '',
    ].join('\n');
  }

  // ── The filled store: import, size, queries ──

  async generateStore() {
    const started = performance.now();
    this.generated = await this.generate(this.file('alerts.ndjson'), this.options.alerts);
    const { lines, bytes, long } = this.generated ?? { lines: 0, long: 0 };
    log(
      `  generated ${int(lines)} alerts (${mb(bytes)}, ${long} with a 4 KB command line) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }

  /** The store without the import: the same alerts, written straight into it (scripts/lib/bench-fill.ts). */
  async fill() {
    const args = [
      'fill',
      '--db',
      this.file('store.db'),
      '--alerts',
      String(this.options.alerts),
      '--days',
      String(this.options.days),
      '--now',
      String(this.nowMs),
    ];
    const { stdout, seconds: wallSeconds } = await runChild(...tsx('scripts/bench-data.ts', args), {
      passStderr: !this.options.smoke,
    });
    const result = jsonLines(stdout)[0];
    if (!result || result.alerts !== this.options.alerts)
      throw new Error(`the fill stored ${result?.alerts} of ${this.options.alerts} alerts`);
    this.filled = { ...result, wallSeconds };
    this.generated = { lines: result.alerts, long: result.long };
    log(
      `  filled ${int(result.alerts)} alerts in ${result.seconds.toFixed(1)} s (${int(result.rate)}/s), peak RSS ${mb(result.peakRss)}`,
    );
  }

  /** How the store was made, for the sections that read it. */
  storeName() {
    return this.filled ? 'the filled store' : 'the imported store';
  }

  /** The raw insert of the file's rows, first, so that its store is gone before Perch's is made. */
  async rawForImport() {
    const args = [
      'raw',
      '--db',
      this.file('raw-import.db'),
      '--file',
      this.file('alerts.ndjson'),
      '--segment',
      String(this.options.importSegment),
    ];
    const [{ stdout }, load] = await underLoad(() => runChild(...tsx('scripts/bench-data.ts', args)));
    this.rawImportLoad = load;
    const lines = jsonLines(stdout);
    this.rawImport = lines.find((line) => line.label === 'file');
    this.rawImportPoints = lines
      .filter((line) => line.label === 'point')
      .map(({ rows, seconds }) => ({ alerts: rows, seconds }));
    for (const suffix of ['', '-wal', '-shm']) rmSync(this.file(`raw-import.db${suffix}`), { force: true });
  }

  async import() {
    const [{ stdout, seconds: wallSeconds }, load] = await underLoad(() =>
      runChild('npm', ['run', '-s', 'import', '--', this.file('alerts.ndjson')], {
        env: benchEnv({ PERCH_DB: this.file('store.db'), PERCH_IMPORT_PROGRESS: String(this.options.importSegment) }),
        passStderr: !this.options.smoke,
      }),
    );
    this.importLoad = load;
    const points = jsonLines(stdout).map(({ alerts, seconds }) => ({ alerts, seconds }));
    const match =
      /Imported (\d+), duplicates (\d+), skipped (\d+) non-JSON line\(s\), invalid (\d+) .* in ([\d.]+)s/.exec(stdout);
    if (!match) throw new Error(`cannot read the import's summary: ${stdout.slice(0, 300)}`);
    const [imported = NaN, duplicates = NaN, , invalid = NaN, seconds = NaN] = match.slice(1).map(Number);
    const { lines } = this.generated ?? { lines: 0 };
    if (invalid > 0 || imported + duplicates !== lines)
      throw new Error(`the import took ${imported} of ${lines} alerts (${duplicates} duplicates, ${invalid} invalid)`);
    this.importResult = { alerts: lines, imported, seconds, wallSeconds, rate: imported / (seconds || wallSeconds) };
    this.importSegments = this.rawImportPoints ? segmentRates(points, this.rawImportPoints) : null;
    if (!this.options.keep) rmSync(this.file('alerts.ndjson'));
  }

  size() {
    const file = this.file('store.db');
    const db = new Database(file);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const alerts = /** @type {{ n: number }} */ (db.prepare('SELECT count(*) AS n FROM events').get()).n;
    const bytes = statSync(file).size + (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);
    /** @type {Map<string, number> | null} */
    let parts = null;
    try {
      const tables = /** @type {{ name: string, t: string }[]} */ (
        db.prepare("SELECT name, tbl_name AS t FROM sqlite_master WHERE type IN ('table', 'index')").all()
      );
      const owner = new Map(tables.map((r) => [r.name, r.t]));
      parts = new Map();
      for (const { name, bytes: b } of /** @type {{ name: string, bytes: number }[]} */ (
        db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all()
      )) {
        const table = owner.get(name) ?? name;
        parts.set(table, (parts.get(table) ?? 0) + b);
      }
    } catch {
      // SQLite built without the dbstat table: the total alone
    }
    db.close();
    this.sizeResult = { alerts, bytes, parts };
  }

  sizeSection() {
    const s = this.sizeResult;
    if (!s) return null;
    const perAlert = s.bytes / s.alerts;
    const verdict = this.targets.check('store size per alert', perAlert, 2500, 'below', `${int(perAlert)} bytes`);
    const lines = [
      '### Store size',
      '',
      `${int(s.alerts)} alerts (${this.generated?.long ?? 0} of them with a 4 KB command line) ${this.filled ? 'filled directly' : 'after `npm run import`'}: ${mb(s.bytes)} (database and WAL after a checkpoint), **${int(perAlert)} bytes per alert** — target ≤ 2,500: ${verdict}.`,
      '',
    ];
    if (this.filled) {
      const f = this.filled;
      lines.push(
        `The store was filled without \`npm run import\` (no import part): the same alerts written by Perch's writer in 1,000-alert transactions, generated on worker threads, no fsync (scripts/lib/bench-fill.ts): ` +
          `${f.seconds.toFixed(0)} s, ${int(f.rate)} alerts/s, peak RSS ${mb(f.peakRss)}.`,
        '',
      );
    }
    if (s.parts) {
      // Perch's tables by name; the schema, the planner's statistics and free pages together.
      const main = [...s.parts].filter(([name]) => !name.startsWith('sqlite_')).sort((a, b) => b[1] - a[1]);
      const other = s.bytes - main.reduce((sum, [, bytes]) => sum + bytes, 0);
      /** @type {[string, number][]} */
      const sized = [...main, ['other (schema, statistics, free pages)', other]];
      const rows = sized.map(([name, bytes]) => [name, mb(bytes), int(bytes / s.alerts)]);
      lines.push(table(['Table (with its indexes)', 'Size', 'Bytes per alert'], rows, [1, 2]), '');
    }
    return lines.join('\n');
  }

  async queries() {
    const { alerts, days, runs } = this.options;
    const args = [
      '--alerts',
      String(alerts),
      '--days',
      String(days),
      '--db',
      this.file('store.db'),
      '--runs',
      String(runs),
    ];
    const { stdout } = await runChild(...tsx('scripts/bench-queries.ts', args), { passStderr: !this.options.smoke });
    if (!stdout.includes('|')) throw new Error(`bench-queries printed no table:\n${stdout.slice(0, 500)}`);
    this.queryTable = annotateQueryTables(
      stdout.trim().replaceAll(this.file('store.db'), this.storeName()),
      this.targets,
      'queries of bench-queries.ts (p95)',
    );
  }

  /** @param {Server} server */
  async httpQueries(server) {
    const { runs, exportRuns } = this.options;
    const client = httpClient(server.origin);
    // What /kiosk asks for with its defaults (range 24h, feed from Warning up): components/kiosk.
    /** @type {[label: string, url: string][]} */
    const kiosk = [
      ['kiosk: counters (/api/stats/summary)', '/api/stats/summary?from=24h'],
      ['kiosk: timeline (/api/stats/timeline)', '/api/stats/timeline?from=24h&stack=priority'],
      ['kiosk: top rules', '/api/stats/top?from=24h&dimension=rule&limit=8'],
      ['kiosk: top containers', '/api/stats/top?from=24h&dimension=container&limit=6'],
      ['kiosk: top namespaces', '/api/stats/top?from=24h&dimension=namespace&limit=5'],
      ['kiosk: latest alerts feed (/api/events)', '/api/events?from=24h&minPriority=Warning&limit=60'],
      ['kiosk: newest alert', '/api/events?from=24h&limit=1'],
    ];
    const time = async (/** @type {() => Promise<unknown>} */ fn) => {
      await fn();
      /** @type {number[]} */
      const samples = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        await fn();
        samples.push(performance.now() - t);
      }
      return spread(samples);
    };
    /** @type {string[][]} */
    const rows = [];
    for (const [label, url] of kiosk) {
      const s = await time(() => client.request('GET', url, undefined, { read: true }));
      rows.push([
        label,
        ms(s.p50),
        ms(s.p95),
        '< 200',
        this.targets.check(
          label,
          s.p95,
          200,
          'below',
          `${ms(s.p95)} ms (p95)`,
          "the kiosk's calls over HTTP (p95 < 200 ms)",
        ),
      ]);
    }
    const all = await time(() =>
      Promise.all(kiosk.map(([, url]) => client.request('GET', url, undefined, { read: true }))),
    );
    rows.push(['kiosk: all of the above at once (its first load)', ms(all.p50), ms(all.p95), '', '']);

    // An export of the newest 100,000 alerts (internal ones too, so the count is exact).
    const db = new Database(this.file('store.db'), { readonly: true });
    db.defaultSafeIntegers(true);
    const total = Number(/** @type {{ n: bigint }} */ (db.prepare('SELECT count(*) AS n FROM events').get()).n);
    const wanted = Math.min(100_000, total);
    const fromNs = /** @type {{ t: bigint }} */ (
      db.prepare('SELECT time_ns AS t FROM events ORDER BY time_ns DESC LIMIT 1 OFFSET ?').get(wanted - 1)
    ).t;
    const expected = Number(
      /** @type {{ n: bigint }} */ (db.prepare('SELECT count(*) AS n FROM events WHERE time_ns >= ?').get(fromNs)).n,
    );
    db.close();
    const exportUrl = `/api/events/export?format=ndjson&internal=include&from=${encodeURIComponent(isoNs(fromNs))}`;
    /** @type {Awaited<ReturnType<typeof download>>[]} */
    const exports = [];
    for (let i = 0; i < exportRuns; i++) {
      const result = await download(client, exportUrl);
      if (result.lines !== expected) throw new Error(`the export gave ${result.lines} lines, expected ${expected}`);
      exports.push(result);
    }
    client.close();
    const seconds = spread(exports.map((e) => e.seconds));
    this.httpQueryResult = {
      rows,
      export: { alerts: expected, bytes: exports[0]?.bytes ?? 0, seconds, runs: exportRuns },
    };
  }

  /**
   * The reads that cost the most, each sent on its own while health checks and single alerts run
   * alongside: how long those waited at most shows whether a read held the event loop or the writer.
   */
  /** @param {Server} server */
  async stalls(server) {
    const client = httpClient(server.origin);
    const chains = Array.from(
      { length: 20 },
      (_, i) => `chain=${encodeURIComponent(`bash\x1fsh\x1fabsent-${i}`)}`,
    ).join('&');
    /** @type {[label: string, url: string][]} */
    const reads = [
      ['timeline, 30 days, 20 chain values', `/api/stats/timeline?from=30d&${chains}`],
      ['alerts, 30 days, a user no alert has', '/api/events?from=30d&user=nobody-at-all'],
      [
        'summary, 30 days, a 16-word phrase of a word in every alert',
        `/api/stats/summary?from=30d&q=${encodeURIComponent(Array(16).fill('user').join(' '))}`,
      ],
      ['process tree, 30 days, 200,000 alerts', '/api/process-tree?from=30d&alerts=200000&chains=20000'],
      ['rules, all time', '/api/rules?from=all'],
      ['export, all time (NDJSON)', '/api/events/export?format=ndjson&from=all'],
    ];
    /** @type {string[][]} */
    const rows = [];
    for (const [label, url] of reads) {
      let done = false;
      /** @type {(send: () => Promise<unknown>, everyMs: number) => Promise<number[]>} */
      const probe = async (send, everyMs) => {
        /** @type {number[]} */
        const waits = [];
        while (!done) {
          const t = performance.now();
          await send();
          waits.push(performance.now() - t);
          await sleep(everyMs);
        }
        return waits;
      };
      let n = 0;
      const alert = () =>
        JSON.stringify({
          time: new Date().toISOString(),
          rule: 'Bench stall probe',
          priority: 'Notice',
          source: 'syscall',
          output: `stall probe ${this.runId} ${label} ${n++}`,
          output_fields: {},
        });
      const health = probe(() => client.request('GET', '/api/health'), 20);
      const ingest = probe(() => client.request('POST', '/api/events', alert()), 50);
      const t = performance.now();
      await (url.includes('/export') ? download(client, url) : client.request('GET', url, undefined, { read: true }));
      const readMs = performance.now() - t;
      done = true;
      const [h, i] = [spread(await health), spread(await ingest)];
      const worst = Math.max(h.max, i.max);
      rows.push([
        label,
        ms(readMs),
        ms(h.p50),
        ms(h.max),
        ms(i.p50),
        ms(i.max),
        this.targets.check(
          `stall: ${label}`,
          worst,
          200,
          'below',
          `health and ingest waited at most ${ms(worst)} ms`,
          'reads holding the server (health and ingest < 200 ms while they run)',
        ),
      ]);
    }
    client.close();
    this.stallRows = rows;
  }

  /**
   * The server's resident memory over reads of distinct filter shapes (each a different SQL text):
   * two sets, the second with other filters, to show what new shapes cost once the server is warm.
   */
  /** @param {Server} server */
  async shapes(server) {
    const client = httpClient(server.origin);
    const rss = async () => {
      const { text } = await client.request('GET', '/metrics', undefined, { read: true });
      return Number(/^process_resident_memory_bytes (\d+)/m.exec(text)?.[1] ?? NaN);
    };
    const perSet = this.options.smoke ? 300 : 10_000;
    /** @type {[string, string, string][]} */
    const sets = [
      ['rule', 'tag', 'proc'],
      ['user', 'image', 'proc'],
    ];
    /** @type {[number | string, number][]} */
    const samples = [[0, await rss()]];
    let done = 0;
    for (const [a, b, c] of sets) {
      /** @type {(key: string, n: number) => string} */
      const list = (key, n) => Array.from({ length: n }, (_, j) => `${key}=${key}-${j}`).join('&');
      const url = (/** @type {number} */ i) =>
        `/api/events?from=1h&limit=10&${list(a, (i % 50) + 1)}&${list(b, (Math.floor(i / 50) % 50) + 1)}&${list(c, (Math.floor(i / 2500) % 4) + 1)}`;
      let sent = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (sent < perSet) {
            const i = sent++;
            await client.request('GET', url(i));
            if ((i + 1) % (perSet / 5) === 0) samples.push([done + i + 1, await rss()]);
          }
        }),
      );
      done += perSet;
    }
    await sleep(2_000);
    samples.push(['2 s later', await rss()]);
    client.close();
    this.shapeSamples = samples.sort((x, y) =>
      typeof x[0] === 'number' && typeof y[0] === 'number' ? x[0] - y[0] : typeof x[0] === 'number' ? -1 : 1,
    );
    this.shapeSets = { perSet, sets: sets.map((set) => set.join(', ')) };
  }

  queriesSection() {
    if (!this.queryTable && !this.httpQueryResult && !this.stallRows && !this.shapeSamples) return null;
    const { alerts, days, runs } = this.options;
    const lines = ['### Queries', ''];
    if (this.queryTable) {
      lines.push(
        `\`scripts/bench-queries.ts --alerts ${alerts} --days ${days} --runs ${runs}\` on ${this.storeName()}: the SQL behind each API call, in-process,`,
        'p50 and p95 in ms. Targets (p95): explorer pages and alert detail < 50 ms (a first page of free text < 100 ms), process trees < 500 ms, the rest < 200 ms.',
        '',
        this.queryTable,
        '',
      );
    }
    if (this.stallRows) {
      lines.push(
        'The costliest reads over HTTP, each alone, while `GET /api/health` is asked every 20 ms and one alert is posted every 50 ms',
        '(ms: the read, then what health and ingest waited, p50 and at most). Reads run on reader threads (lib/db/read-pool.ts).',
        '',
        table(
          ['Read', 'Read took', 'Health p50', 'Health max', 'Ingest p50', 'Ingest max', 'Target'],
          this.stallRows,
          [1, 2, 3, 4, 5],
        ),
        '',
      );
    }
    if (this.shapeSamples) {
      const rows = this.shapeSamples.map(([n, bytes]) => [typeof n === 'number' ? int(n) : n, mb(bytes)]);
      const samples = this.shapeSamples;
      const { perSet, sets } = this.shapeSets ?? { perSet: 0, sets: [] };
      const at = (/** @type {number} */ n) => samples.find(([m]) => m === n)?.[1] ?? NaN;
      lines.push(
        `The server's resident memory while it answers reads of distinct filter shapes, 8 at a time: ${int(perSet)} with 1–50 values of ${sets[0]}`,
        `(1–4 of the last), then ${int(perSet)} with ${sets[1]}. RSS moved by ${mb(at(perSet) - (samples[0]?.[1] ?? NaN))} over the first set (the server warming up`,
        `as well) and by ${mb((samples.at(-1)?.[1] ?? NaN) - at(perSet))} from the end of the first set to 2 s after the second.`,
        '',
        table(['Reads answered', 'RSS'], rows, [1]),
        '',
      );
    }
    const h = this.httpQueryResult;
    if (h) {
      lines.push(
        `Over HTTP against the production server on the same store, ${runs} runs each, ms:`,
        '',
        table(['Call', 'p50', 'p95', 'Target', ''], h.rows, [1, 2]),
        '',
      );
      const e = h.export;
      lines.push(
        `Export of the newest ${int(e.alerts)} alerts (\`GET /api/events/export?format=ndjson\`, ${mb(e.bytes)}): ` +
          `${e.seconds.p50.toFixed(2)} s median of ${e.runs} (${int(e.alerts / e.seconds.p50)} alerts/s), slowest ${e.seconds.max.toFixed(2)} s.`,
        '',
      );
    }
    return lines.join('\n');
  }

  // ── The run ──

  async run() {
    const { parts } = this.options;
    const want = (/** @type {string[]} */ ...names) => names.some((n) => parts.has(n));
    if (want('ingest', 'stream', 'js')) {
      const pooled = await this.part('generate the ingest alerts', async () => {
        await this.generate(this.file('pool.ndjson'), this.options.poolSize);
        this.pool = readFileSync(this.file('pool.ndjson'), 'utf8').split('\n').filter(Boolean);
      });
      const server = pooled
        ? await this.startPart('start the server', {
            dbFile: this.file('ingest.db'),
            logFile: this.file('server-ingest.log'),
          })
        : null;
      if (server) {
        const ingested = parts.has('ingest') && (await this.part('ingest', () => this.ingest(server)));
        if (parts.has('stream')) await this.part('stream', () => this.stream(server));
        if (parts.has('js')) {
          await this.part('js', async () => {
            if (!ingested) {
              const client = httpClient(server.origin);
              await client.request(
                'POST',
                '/api/events',
                this.pool
                  .slice(0, 200)
                  .map((line, i) => withUuid(line, `${this.runId}-js-${i}`))
                  .join('\n'),
              );
              client.close();
            }
            await this.js(server);
          });
        }
        await server.stop();
        if (ingested) await this.part('raw insert of the ingested rows', () => this.rawForIngest());
      } else {
        for (const name of ['ingest', 'stream', 'js'])
          if (parts.has(name)) this.failures.push({ name, message: 'no server' });
      }
    }
    if (want('import', 'queries', 'pages', 'size')) {
      // The import part measures `npm run import`, which then makes the store; without it the store is filled directly.
      const filled = parts.has('import')
        ? (await this.part("generate the store's alerts", () => this.generateStore())) &&
          (await this.part('raw insert of the same rows', () => this.rawForImport())) &&
          (await this.part('npm run import', () => this.import()))
        : await this.part('fill the store', () => this.fill());
      if (filled) {
        if (parts.has('size')) await this.part('size', async () => this.size());
        if (parts.has('queries')) {
          await this.part('queries (bench-queries.ts)', () => this.queries());
        }
        if (want('queries', 'pages')) {
          const server = await this.startPart('start the server on the store', {
            dbFile: this.file('store.db'),
            logFile: this.file('server-queries.log'),
          });
          if (server) {
            if (parts.has('queries'))
              await this.part('queries over HTTP (kiosk, export)', () => this.httpQueries(server));
            if (parts.has('pages')) await this.part('pages in Chromium', () => this.pages(server));
            // Last: the probes post alerts, which would be the newest that the pages open.
            if (parts.has('queries')) await this.part('reads beside health and ingest', () => this.stalls(server));
            if (parts.has('queries')) await this.part('memory over distinct filter shapes', () => this.shapes(server));
            await server.stop();
          } else {
            for (const name of ['queries', 'pages'])
              if (parts.has(name)) this.failures.push({ name, message: 'no server' });
          }
        }
      } else {
        for (const name of ['queries', 'pages', 'size'])
          if (parts.has(name)) this.failures.push({ name, message: 'the store could not be filled' });
      }
    }
    return this.report();
  }

  report() {
    const m = machine(this.options);
    const { alerts, days } = this.options;
    const argv = process.argv.slice(2).join(' ');
    const header = [
      '## Results of `npm run bench` (generated: edit outside the bench markers only)',
      '',
      `\`npm run bench${argv ? ` -- ${argv}` : ''}\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: ${m.cpus} CPUs (${m.cpuModel}),`,
      `Node ${m.node}, SQLite ${m.sqlite} (better-sqlite3 ${m.betterSqlite}), Next ${m.next}, the stores on ${m.fs}; load average (1 / 5 / 15 min)`,
      `${this.loadAtStart} at the start and ${m.load} at the end. ${int(alerts)} generated alerts over ${days} days: the demo cluster's rules, k8s_audit,`,
      'CloudTrail and GCP audit sources and ancestry chains, made less regular (long-tailed workloads, users, process names and words, chains of every',
      "depth 1–8, three busy rules, each filter's rare value once in 100,000 alerts: scripts/lib/bench-irregular.ts), one in 500 with a 4 KB command line.",
      '1 KB = 1,000 bytes.',
      '',
    ];
    const sections = [
      this.ingestSection(),
      this.queriesSection(),
      this.pagesSection(),
      this.streamSection(),
      this.sizeSection(),
      this.jsSection(),
    ].filter(Boolean);
    const footer = ['### Targets', '', this.targets.summary(), ''];
    if (this.failures.length > 0) {
      footer.push(
        '### Parts that did not run',
        '',
        ...this.failures.map((f) => `- ${f.name}: ${f.message.split('\n')[0]}`),
        '',
      );
    }
    return [...header, ...sections, ...footer].join('\n');
  }

  cleanup() {
    if (this.options.keep) log(`kept ${this.tmp}`);
    else rmSync(this.tmp, { recursive: true, force: true });
  }
}

async function main() {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exit(2);
  }
  ensureBuild({ basePath: '' });
  mkdirSync(options.dir, { recursive: true });
  if (['import', 'queries', 'pages', 'size'].some((p) => options.parts.has(p))) {
    // With the import, the NDJSON file and the store exist at the same time; the direct fill makes the
    // store alone. The space each takes per alert: docs/decisions/0013.
    const { bavail, bsize } = statfsSync(options.dir);
    const needed = options.alerts * (options.parts.has('import') ? 6_500 : 2_500);
    if (bavail * bsize < needed)
      log(
        `warning: ${options.dir} has ${mb(bavail * bsize)} free; ${int(options.alerts)} alerts need about ${mb(needed)} (--dir elsewhere)`,
      );
  }
  const bench = new Bench(options);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      bench.cleanup();
      process.exit(130);
    });
  }
  log(
    `${options.smoke ? 'smoke run' : 'run'} in ${bench.tmp}: ${[...options.parts].join(', ')}; ${int(options.alerts)} alerts over ${options.days} days`,
  );
  const started = performance.now();
  let report;
  try {
    report = await bench.run();
  } finally {
    bench.cleanup();
  }
  console.log(`\n${report}`);
  if (options.out) {
    writeMarked(options.out, report);
    log(`written to ${path.relative(process.cwd(), options.out) || options.out}`);
  }
  log(
    `finished in ${((performance.now() - started) / 1000).toFixed(0)} s${bench.failures.length ? `; ${bench.failures.length} part(s) failed` : ''}`,
  );
  if (bench.failures.length > 0) process.exitCode = 1;
}

await main();
