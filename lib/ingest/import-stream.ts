import 'server-only';
// Bulk import from files and pipes (Falco file_output / stdout captures, `kubectl logs`, JSON
// arrays). Writes straight to the store in 1,000-alert transactions; WAL and busy_timeout make
// this safe while the server runs.
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { ErrorIssue } from '../errors';
import type { Db } from '../db/connection';
import { writeAlerts, type WritableAlert } from '../db/event-writer';
import { prepareEntries } from './prepare';
import { LinePreparer } from './line-preparer';
import type { PreparedLines } from './prepare-lines';
import { splitBody, type BodyEntry } from './split-body';

export interface ImportSummary {
  imported: number;
  duplicates: number;
  /** Lines that are not JSON objects (Falco's own log lines in a kubectl capture). */
  skipped: number;
  invalid: ErrorIssue[];
}

const BATCH = 1_000;

export class ImportRun {
  readonly summary: ImportSummary = { imported: 0, duplicates: 0, skipped: 0, invalid: [] };
  private pending: BodyEntry[] = [];

  constructor(private readonly db: Db) {}

  add(entry: BodyEntry): void {
    this.pending.push(entry);
    if (this.pending.length >= BATCH) this.flush();
  }

  skip(): void {
    this.summary.skipped++;
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const { valid, issues } = prepareEntries(this.pending);
    this.pending = [];
    this.write({ alerts: valid.map((entry) => entry.alert), issues });
  }

  /** Stores a batch prepared here or by the worker, in one transaction, and counts it. */
  write({ alerts, issues }: { alerts: readonly WritableAlert[]; issues: readonly ErrorIssue[] }): void {
    this.summary.invalid.push(...issues);
    for (const result of writeAlerts(this.db, alerts)) {
      if (result.duplicate) this.summary.duplicates++;
      else this.summary.imported++;
    }
  }
}

// Batches prepared ahead of the one being written: enough that neither thread waits for the
// other, few enough that memory stays flat.
const AHEAD = 2;

/**
 * Imports a stream line by line (memory stays flat for any size), or whole when it is a JSON
 * array. NDJSON lines are prepared in a worker thread while this one writes the batch before.
 * `onProgress` is called after every batch written, and at the end, with the lines read so far.
 */
export async function importStream(
  db: Db,
  input: Readable,
  onProgress?: (lines: number, run: ImportRun) => void,
): Promise<ImportSummary> {
  const run = new ImportRun(db);
  const lines = createInterface({ input, crlfDelay: Infinity });
  const preparer = new LinePreparer();
  const inFlight: Promise<PreparedLines>[] = [];
  let batch: [number, string][] = [];
  let lineNumber = 0;
  let arrayText: string[] | null = null;
  let sawContent = false;

  const writeNext = async () => {
    run.write(await inFlight.shift()!);
    onProgress?.(lineNumber, run);
  };
  const send = async () => {
    inFlight.push(preparer.prepare(batch));
    batch = [];
    while (inFlight.length > AHEAD) await writeNext();
  };

  try {
    for await (const lineText of lines) {
      lineNumber++;
      if (arrayText !== null) {
        arrayText.push(lineText);
        continue;
      }
      const line = lineText.trim();
      if (line === '') continue;
      const first = !sawContent;
      sawContent = true;
      if (first && line.startsWith('[')) {
        arrayText = [lineText];
        continue;
      }
      if (!line.startsWith('{')) {
        run.skip();
        continue;
      }
      batch.push([lineNumber, line]);
      if (batch.length >= BATCH) await send();
    }
    if (arrayText !== null) {
      for (const entry of splitBody(arrayText.join('\n')).entries) run.add(entry);
      run.flush();
    }
    if (batch.length > 0) await send();
    while (inFlight.length > 0) await writeNext();
  } finally {
    // A failed write leaves answers in flight: wait them out so none rejects unobserved.
    await Promise.allSettled(inFlight);
    await preparer.close();
  }
  onProgress?.(lineNumber, run);
  return run.summary;
}
