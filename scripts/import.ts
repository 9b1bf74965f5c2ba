// npm run import -- <file.ndjson | file.json | -> : load Falco alerts into the store PERCH_DB names.
import { createReadStream } from 'node:fs';
import { getConfig } from '../lib/config';
import { getDb } from '../lib/db/connection';
import { importStream } from '../lib/ingest/import-stream';

async function main() {
  const target = process.argv[2];
  if (!target || target === '--help' || target === '-h') {
    console.error('usage: npm run import -- <file.ndjson | file.json | ->   (writes to PERCH_DB, default ./data/perch.db)');
    process.exit(target ? 0 : 2);
  }
  const input = target === '-' ? process.stdin : createReadStream(target);
  const db = getDb();
  const started = Date.now();
  let lastReport = started;
  const summary = await importStream(db, input, (lines, run) => {
    const now = Date.now();
    if (now - lastReport < 1_000) return;
    lastReport = now;
    const rate = Math.round(lines / ((now - started) / 1000));
    process.stderr.write(`… ${lines.toLocaleString('en')} lines, ${run.summary.imported.toLocaleString('en')} imported (${rate.toLocaleString('en')} lines/s)\n`);
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`Imported ${summary.imported}, duplicates ${summary.duplicates}, skipped ${summary.skipped} non-JSON line(s), invalid ${summary.invalid.length} into ${getConfig().dbFile} in ${seconds}s`);
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
