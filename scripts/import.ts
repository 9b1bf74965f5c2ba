// npm run import -- <file.ndjson | file.json | -> : load Falco alerts into the store PERCH_DB names.
// PERCH_IMPORT_PROGRESS=N adds a JSON line on stdout after every N alerts written (and at the end):
// {"alerts","imported","duplicates","invalid","seconds"}, counts and seconds since the start.
import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { getConfig } from '../lib/config';
import { getDb } from '../lib/db/connection';
import { importStream, type ImportSummary } from '../lib/ingest/import-stream';

function progressEvery(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  const every = Number(value);
  if (!Number.isInteger(every) || every < 1) {
    console.error(`PERCH_IMPORT_PROGRESS must be a whole number of alerts of at least 1, not ${JSON.stringify(value)}`);
    process.exit(2);
  }
  return every;
}

async function main() {
  const usage =
    'usage: npm run import -- <file.ndjson | file.json | ->   (writes to PERCH_DB, default ./data/perch.db)';
  const parsed = (() => {
    try {
      return parseArgs({ options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
    } catch (error) {
      console.error(`${(error as Error).message}\n${usage}`);
      process.exit(2);
    }
  })();
  const [target, ...extra] = parsed.positionals;
  if (parsed.values.help || target === undefined || extra.length > 0) {
    console.error(usage);
    process.exit(parsed.values.help ? 0 : 2);
  }
  const every = progressEvery(process.env.PERCH_IMPORT_PROGRESS);
  const input = target === '-' ? process.stdin : createReadStream(target);
  const db = getDb();
  const started = performance.now();
  let lastReport = started;
  let nextPoint = every ?? Infinity;
  let lastPoint = 0;
  const point = ({ imported, duplicates, invalid }: ImportSummary, final = false) => {
    const alerts = imported + duplicates + invalid.length;
    if (every === null || alerts === lastPoint || (!final && alerts < nextPoint)) return;
    lastPoint = alerts;
    nextPoint = (Math.floor(alerts / every) + 1) * every;
    console.log(
      JSON.stringify({
        alerts,
        imported,
        duplicates,
        invalid: invalid.length,
        seconds: (performance.now() - started) / 1000,
      }),
    );
  };
  const summary = await importStream(db, input, (lines, run) => {
    point(run.summary);
    const now = performance.now();
    if (now - lastReport < 1_000) return;
    lastReport = now;
    const rate = Math.round(lines / ((now - started) / 1000));
    process.stderr.write(
      `… ${lines.toLocaleString('en')} lines, ${run.summary.imported.toLocaleString('en')} imported (${rate.toLocaleString('en')} lines/s)\n`,
    );
  });
  point(summary, true);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `Imported ${summary.imported}, duplicates ${summary.duplicates}, skipped ${summary.skipped} non-JSON line(s), invalid ${summary.invalid.length} into ${getConfig().dbFile} in ${seconds}s`,
  );
  for (const issue of summary.invalid.slice(0, 50)) {
    const where = 'line' in issue ? `line ${issue.line}` : 'index' in issue ? `index ${issue.index}` : 'body';
    console.log(`  invalid: ${where}${issue.field ? ` ${issue.field}` : ''}: ${issue.message}`);
  }
  if (summary.invalid.length > 50) console.log(`  … and ${summary.invalid.length - 50} more invalid entries`);
  db.close();
}

main().catch((error: unknown) => {
  console.error(`import failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
