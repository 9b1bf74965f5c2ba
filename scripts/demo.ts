// npm run demo -- [--alerts N] [--days N] [--seed N]: realistic Falco alerts into PERCH_DB's store,
// validated like real ones. Each minute's alerts are fixed by the seed, so a rerun stores only the
// minutes since (the rest are duplicates) and runs on different days top up one history.
import { parseArgs } from 'node:util';
import { getConfig } from '../lib/config';
import { getDb } from '../lib/db/connection';
import { ImportRun } from '../lib/ingest/import-stream';
import { splitBody } from '../lib/ingest/split-body';
import { demoAlerts, type DemoOptions } from './demo/generate';

const DEFAULTS = { alerts: 5_000, days: 7, seed: 1 };

const USAGE = `usage: npm run demo -- [--alerts N] [--days N] [--seed N]

Writes demo Falco alerts to PERCH_DB (default ./data/perch.db).
  --alerts N  about N alerts in the window, as a weekly average (default ${DEFAULTS.alerts})
  --days N    the window: the last N days up to now (default ${DEFAULTS.days}, fractions allowed)
  --seed N    which history of the demo cluster (default ${DEFAULTS.seed})

Alerts depend only on the seed and the minute they happen in, so a second run with the same
options stores only the minutes that are new; the rest are reported as duplicates.`;

class UsageError extends Error {}

function parseOptions(args: string[]): Omit<DemoOptions, 'nowMs'> {
  const given = (() => {
    try {
      return parseArgs({
        args,
        options: {
          alerts: { type: 'string' },
          days: { type: 'string' },
          seed: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      }).values;
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  })();
  if (given.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const options = { ...DEFAULTS };
  for (const name of ['alerts', 'days', 'seed'] as const) {
    const text = given[name];
    if (text === undefined) continue;
    const value = Number(text);
    const valid =
      text.trim() !== '' &&
      (name === 'days'
        ? Number.isFinite(value) && value > 0 && value <= 366
        : Number.isSafeInteger(value) && value >= 0);
    if (!valid)
      throw new UsageError(
        `--${name} needs ${name === 'days' ? 'a number of days above 0 (at most 366)' : 'a whole number'}, got ${text}`,
      );
    options[name] = value;
  }
  return options;
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const db = getDb();
  const run = new ImportRun(db);
  const started = Date.now();
  let lastReport = started;
  let line = 0;
  for (const alert of demoAlerts({ ...options, nowMs: started })) {
    const [entry] = splitBody(alert.line).entries;
    if (entry) run.add({ ...entry, position: { line: ++line } });
    if (line % 1_000 === 0 && Date.now() - lastReport >= 1_000) {
      lastReport = Date.now();
      process.stderr.write(`… ${line.toLocaleString('en')} alerts generated\n`);
    }
  }
  run.flush();
  const { summary } = run;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `Imported ${summary.imported}, duplicates ${summary.duplicates}, invalid ${summary.invalid.length} into ${getConfig().dbFile} in ${seconds}s (seed ${options.seed}, ${options.days} day${options.days === 1 ? '' : 's'})`,
  );
  // The generator should only ever write valid alerts: an invalid one is a bug worth seeing.
  for (const issue of summary.invalid.slice(0, 20)) {
    console.log(`  invalid: line ${issue.line ?? '?'}${issue.field ? ` ${issue.field}` : ''}: ${issue.message}`);
  }
  db.close();
  if (summary.invalid.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
