// `npm run bench`'s fast fill: the import's alerts, without its NDJSON file or its slowness, prepared
// on worker threads and written by Perch's own writer into a store made by its migrations. Only the
// durability differs: a throw-away store needs no fsync while it fills (docs/decisions/0013).
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { openDatabase, type Db } from '../../lib/db/connection';
import { writeAlerts, type WritableAlert } from '../../lib/db/event-writer';
import { prepareLines } from '../../lib/ingest/prepare-lines';
import { benchPlan, benchTopUp, LONG_CMDLINE, type BenchAlertOptions } from './bench-alerts';

/** What a fill thread sends: a batch of one part's alerts, ready to write; `last` ends the part. */
export interface FillBatch {
  part: number;
  alerts: WritableAlert[];
  /** Where in the batch the alerts with a long command line are. */
  long: number[];
  last: boolean;
}

export interface FillOptions extends BenchAlertOptions {
  file: string;
  /** Threads that generate and prepare (default: one per CPU); the writer is the main thread. */
  workers?: number;
  onProgress?: (progress: { alerts: number; of: number; seconds: number }) => void;
}

export interface FillResult {
  alerts: number;
  long: number;
  seconds: number;
  /** Peak resident memory of the process, threads included (VmHWM), in bytes; null off Linux. */
  peakRss: number | null;
}

// The import's batch and transaction, so that the word index gets the same segments, and because
// larger transactions are slower here (docs/decisions/0013).
const BATCH = 1_000;
const AHEAD = 4;

/** Settings for a store nobody reads until it is full and that is thrown away if the fill fails. */
function bulkLoad(db: Db) {
  // The journal in memory and no fsync: a crash loses the fill, which is started again. WAL would
  // write each page twice and read it back; this connection refuses journal_mode=OFF.
  db.pragma('journal_mode = MEMORY');
  db.pragma('synchronous = OFF');
  // The indexes keyed by something other than time (the duplicate check's hash above all) take
  // inserts all over: a page cache big enough for a full bench store's worth keeps them in memory.
  db.pragma('cache_size = -2000000');
}

function peakRss(): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kb === undefined ? null : Number(kb) * 1000;
  } catch {
    return null;
  }
}

/** Batches of each worker, in the order it sends them; resolves a waiting reader. */
class Inbox {
  private readonly queue: FillBatch[] = [];
  private waiting: { resolve: (batch: FillBatch) => void; reject: (error: unknown) => void } | null = null;
  private failure: unknown = null;

  constructor(readonly worker: Worker) {
    worker.on('message', (batch: FillBatch) => {
      if (this.waiting) {
        this.waiting.resolve(batch);
        this.waiting = null;
      } else this.queue.push(batch);
    });
    const fail = (error: unknown) => {
      this.failure ??= error;
      this.waiting?.reject(error);
      this.waiting = null;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`a fill thread stopped (exit code ${code})`)));
  }

  next(): Promise<FillBatch> {
    const batch = this.queue.shift();
    if (batch) return Promise.resolve(batch);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }
}

export async function fillStore({
  file,
  workers: workerCount = 2,
  onProgress,
  ...options
}: FillOptions): Promise<FillResult> {
  const started = performance.now();
  const plan = benchPlan(options);
  const db = openDatabase(file);
  bulkLoad(db);
  const workers = Math.max(1, Math.min(workerCount, plan.parts));
  // Part p goes to thread p % workers; the writer takes the parts in order, so ids follow time.
  const inboxes = Array.from({ length: workers }, (_, w) => {
    const parts = Array.from({ length: plan.parts }, (_, p) => p).filter((p) => p % workers === w);
    return new Inbox(
      new Worker(new URL('../../lib/ingest/worker-entry.mjs', import.meta.url), {
        workerData: {
          module: new URL('./bench-fill-worker.ts', import.meta.url).href,
          plan,
          parts,
          batch: BATCH,
          ahead: AHEAD,
        },
        execArgv: ['--conditions=react-server'],
      }),
    );
  });

  let written = 0;
  let long = 0;
  let lastReport = started;
  const write = (alerts: readonly WritableAlert[]) => {
    if (alerts.length === 0) return;
    writeAlerts(db, alerts);
    written += alerts.length;
    const now = performance.now();
    if (onProgress && now - lastReport >= 10_000) {
      lastReport = now;
      onProgress({ alerts: written, of: plan.alerts, seconds: (now - started) / 1000 });
    }
  };

  try {
    for (let part = 0; part < plan.parts && written < plan.alerts; part++) {
      const inbox = inboxes[part % workers]!;
      for (;;) {
        const batch = await inbox.next();
        inbox.worker.postMessage('taken');
        if (batch.part !== part) throw new Error(`a fill thread sent part ${batch.part} when ${part} was due`);
        const alerts = batch.alerts.slice(0, plan.alerts - written);
        long += batch.long.filter((i) => i < alerts.length).length;
        write(alerts);
        if (batch.last || written === plan.alerts) break;
      }
    }
    // The rare top-up, here: it is a few alerts at most.
    let lines: string[] = [];
    const flush = () => {
      write(prepareLines(lines.map((text, i) => [i + 1, text] as const)).alerts);
      lines = [];
    };
    if (written < plan.alerts) {
      for (const line of benchTopUp(plan, written)) {
        if (line.length > LONG_CMDLINE) long++;
        lines.push(line);
        if (lines.length === BATCH) flush();
      }
      flush();
    }
  } finally {
    await Promise.all(inboxes.map((inbox) => inbox.worker.terminate()));
  }
  // As Perch keeps a store (the server sets its other settings when it opens it).
  db.pragma('journal_mode = WAL');
  db.close();
  return { alerts: written, long, seconds: (performance.now() - started) / 1000, peakRss: peakRss() };
}
