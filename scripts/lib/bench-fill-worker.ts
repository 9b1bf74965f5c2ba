// A thread of `npm run bench`'s fill (scripts/lib/bench-fill.ts): generates its parts of the window
// and prepares their lines as the import's worker does. At most AHEAD batches wait for the writer,
// so memory stays flat whatever the store's size.
import { parentPort, workerData } from 'node:worker_threads';
import { prepareLines } from '../../lib/ingest/prepare-lines';
import { benchPart, LONG_CMDLINE, type BenchPlan } from './bench-alerts';
import type { FillBatch } from './bench-fill';

const {
  plan,
  parts,
  batch: BATCH,
  ahead: AHEAD,
} = workerData as { plan: BenchPlan; parts: number[]; batch: number; ahead: number };
const port = parentPort!;

let unacked = 0;
let wake: (() => void) | null = null;
port.on('message', () => {
  unacked--;
  wake?.();
  wake = null;
});

function prepare(lines: readonly string[]) {
  const { alerts, issues } = prepareLines(lines.map((text, i) => [i + 1, text] as const));
  if (issues.length > 0) throw new Error(`invalid alert in the benchmark's own data: ${JSON.stringify(issues[0])}`);
  return alerts;
}

async function send(message: FillBatch) {
  while (unacked >= AHEAD) await new Promise<void>((resolve) => (wake = resolve));
  unacked++;
  port.postMessage(message);
}

async function run() {
  for (const part of parts) {
    let lines: string[] = [];
    let long: number[] = [];
    for (const line of benchPart(plan, part)) {
      if (line.length > LONG_CMDLINE) long.push(lines.length);
      lines.push(line);
      if (lines.length === BATCH) {
        await send({ part, alerts: prepare(lines), long, last: false });
        lines = [];
        long = [];
      }
    }
    await send({ part, alerts: prepare(lines), long, last: true });
  }
}

// A failure ends the thread with an error, which the writer reports.
void run();
