import 'server-only';
// Bulk import from files and pipes (Falco file_output / stdout captures, `kubectl logs`, JSON
// arrays). Writes straight to the store in 1,000-alert transactions; WAL and busy_timeout make
// this safe while the server runs.
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { ErrorIssue } from '../api/errors';
import type { Db } from '../db/connection';
import { writeAlerts } from '../db/event-writer';
import { prepareEntries } from './prepare';
import { parseEntry, splitBody, type BodyEntry } from './split-body';

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
    this.summary.invalid.push(...issues);
    const results = writeAlerts(this.db, valid.map((entry) => entry.alert));
    for (const result of results) {
      if (result.duplicate) this.summary.duplicates++;
      else this.summary.imported++;
    }
  }
}

/**
 * Imports a stream line by line (memory stays flat for any size), or whole when it is a JSON
 * array. `onProgress` is called after every batch with the lines read so far.
 */
export async function importStream(db: Db, input: Readable, onProgress?: (lines: number, run: ImportRun) => void): Promise<ImportSummary> {
  const run = new ImportRun(db);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  let arrayText: string[] | null = null;
  let sawContent = false;

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
    // A trimmed line that starts with `{` is what splitBody would make one entry of.
    run.add(parseEntry(line, { line: lineNumber }));
    if (lineNumber % BATCH === 0) onProgress?.(lineNumber, run);
  }
  if (arrayText !== null) {
    for (const entry of splitBody(arrayText.join('\n')).entries) run.add(entry);
  }
  run.flush();
  onProgress?.(lineNumber, run);
  return run.summary;
}
