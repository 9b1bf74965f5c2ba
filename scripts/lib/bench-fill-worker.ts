// A thread of `npm run bench`'s fill (scripts/lib/bench-fill.ts): generates its parts of the
// window (benchPart) and turns their lines into alerts ready to write, as the import's worker does
// (lib/ingest/prepare-worker.ts: parse, validate, normalise, deflate). Sends them in batches, at most
// AHEAD batches before the writer has taken them, so memory stays flat whatever the store's size.
import { parentPort, workerData } from 'node:worker_threads';
import { packRaw } from '../../lib/db/raw-json';
import { prepareEntries } from '../../lib/ingest/prepare';
import { parseEntry } from '../../lib/ingest/split-body';
import { benchPart, LONG_CMDLINE, type BenchPlan } from './bench-alerts';
import type { FillBatch } from './bench-fill';

const { plan, parts, batch: BATCH, ahead: AHEAD } = workerData as { plan: BenchPlan; parts: number[]; batch: number; ahead: number };
const port = parentPort!;

let unacked = 0;
let wake: (() => void) | null = null;
port.on('message', () => {
  unacked--;
  wake?.();
  wake = null;
});

function prepare(lines: readonly string[]) {
  const { valid, issues } = prepareEntries(lines.map((text, i) => parseEntry(text, { line: i + 1 })));
  if (issues.length > 0) throw new Error(`invalid alert in the benchmark's own data: ${JSON.stringify(issues[0])}`);
  // `raw` is left empty so it is not copied back: packedRaw is what the writer stores. Copied out
  // of the 16 KB buffer zlib returns a view of: a message copies a view's whole buffer, and that
  // made the writer's thread spend most of its time receiving.
  return valid.map(({ alert }) => ({ ...alert, raw: '', packedRaw: new Uint8Array(packRaw(alert.raw)) }));
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
