// Alerts for `npm run bench`: the demo cluster's (scripts/demo/), one in LONG_EVERY with a long
// dropper command line, each then made less regular (scripts/lib/bench-irregular.ts).
// Pure and deterministic for the same options.
import { demoAlerts, type DemoOptions } from '../demo/generate';
import { irregularPart, RARE_MARKERS } from './bench-irregular';

export interface BenchAlertOptions {
  alerts: number;
  days: number;
  nowMs: number;
  seed?: number;
  /** About this many alerts to a part of the window (default PART_ALERTS; tests use fewer). */
  partAlerts?: number;
}

/** One alert in this many (that has a command line with arguments) carries a long command line. */
const LONG_EVERY = 500;
/** The length of the long command lines; the store's shape they give is in docs/decisions/0011. */
export const LONG_CMDLINE = 3_900;

const CMDLINE = /"proc\.cmdline":("(?:[^"\\]|\\.)*")/;
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function longCommand(n: number): string {
  let state = (n * 2654435761) >>> 0;
  let payload = '';
  const prefix = "sh -c echo '";
  const suffix = "' | base64 -d | sh";
  while (payload.length < LONG_CMDLINE - prefix.length - suffix.length) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    payload += BASE64.charAt(state >>> 26);
  }
  return `${prefix}${payload}${suffix}`;
}

/**
 * The alert with its command line replaced by a long one, everywhere it appears (output_fields and
 * the output text, which Falco renders from the same value); null when it has no command line worth
 * replacing (none, or a bare program name that other fields share).
 */
export function withLongCommand(line: string, n: number): string | null {
  const quoted = CMDLINE.exec(line)?.[1];
  if (quoted === undefined || quoted.length < 12 || !quoted.includes(' ')) return null;
  const long = JSON.stringify(longCommand(n)).slice(1, -1);
  return line.split(quoted.slice(1, -1)).join(long);
}

/** A copy of the alert with a falcosidekick-style uuid, so that re-sending a line stores a new alert. */
export function withUuid(line: string, uuid: string): string {
  return `{"uuid":${JSON.stringify(uuid)},${line.slice(1)}`;
}

function count(options: DemoOptions): number {
  let n = 0;
  for (const _ of demoAlerts(options)) n++;
  return n;
}

/** About this many alerts to a part of the window: parts are generated apart, in parallel by `npm run bench`'s fill. */
export const PART_ALERTS = 100_000;

/** How benchAlerts makes its alerts: the demo generator's rate, the share of its alerts kept, the parts. */
export interface BenchPlan {
  alerts: number;
  days: number;
  nowMs: number;
  seed: number;
  /** The demo generator's `alerts` (a weekly average), a little more than wanted. */
  asked: number;
  /** The share of its alerts kept, evenly spread. */
  keep: number;
  /** Consecutive equal parts of the window, each generated on its own. */
  parts: number;
}

/**
 * The demo generator gives about its `alerts` as a weekly average, so a small run measures how many
 * it gives for this window; the real run asks for a little more and leaves out an evenly spread few.
 */
export function benchPlan({ alerts, days, nowMs, seed = 7, partAlerts = PART_ALERTS }: BenchAlertOptions): BenchPlan {
  const sample = Math.max(1, Math.min(alerts, 20_000));
  const yieldPerAsked = Math.max(0.05, count({ alerts: sample, days, nowMs, seed }) / sample);
  const asked = Math.ceil((alerts / yieldPerAsked) * 1.03);
  const keep = Math.min(1, alerts / (asked * yieldPerAsked));
  return { alerts, days, nowMs, seed, asked, keep, parts: Math.max(1, Math.ceil(alerts / partAlerts)) };
}

/**
 * Where in each part the alerts with a BENCH_RARE value are (one per RARE_MARKERS entry, each in
 * the first container alert at or after its index): the middle of a part, so once in PART_ALERTS.
 */
export function markerIndexes(plan: BenchPlan): number[] {
  const size = plan.alerts / plan.parts;
  return RARE_MARKERS.map((_, i) => Math.floor(size / 2) + i * Math.max(1, Math.floor(size / 200)));
}

/**
 * The alerts of one part of the window, in time order: the demo generator's for (from, to], an
 * evenly spread few left out, each made less regular, one in LONG_EVERY with a long command line.
 * A part depends on the plan alone, not on the parts before it.
 */
export function* benchPart(plan: BenchPlan, part: number): Generator<string> {
  const { days, nowMs, seed, asked, keep, parts } = plan;
  const spanMs = (days * 86_400_000) / parts;
  const startMs = nowMs - days * 86_400_000;
  const range = { fromMs: startMs + part * spanMs, toMs: part === parts - 1 ? nowMs : startMs + (part + 1) * spanMs };
  let seen = 0;
  let kept = 0;
  let sinceLong = 0;
  const irregular = irregularPart(seed, part, markerIndexes(plan));
  for (const alert of demoAlerts({ alerts: asked, days, nowMs, seed, part: range })) {
    seen++;
    if (Math.floor(seen * keep) === Math.floor((seen - 1) * keep)) continue;
    const { line: irregularLine, marker } = irregular(alert.line, kept);
    let line = irregularLine;
    // The rare word is in the command line that a long one would replace.
    if (++sinceLong >= LONG_EVERY && marker === null) {
      // Numbered apart per part, so that no two parts share a command line.
      const long = withLongCommand(line, part * 10_000_000 + kept);
      if (long !== null) {
        line = long;
        sinceLong = 0;
      }
    }
    kept++;
    yield line;
  }
}

/**
 * More alerts from the next seeds over the whole window, in the rare case the parts fell short of
 * the plan's `alerts` (they gave `emitted`); these come after the others, out of time order.
 */
export function* benchTopUp(plan: BenchPlan, emitted: number): Generator<string> {
  let sinceLong = 0;
  for (let round = 1; emitted < plan.alerts && round < 10; round++) {
    const irregular = irregularPart(plan.seed, plan.parts + round);
    let index = 0;
    for (const alert of demoAlerts({
      alerts: plan.asked,
      days: plan.days,
      nowMs: plan.nowMs,
      seed: plan.seed + round,
    })) {
      let { line } = irregular(alert.line, index++);
      if (++sinceLong >= LONG_EVERY) {
        const long = withLongCommand(line, emitted);
        if (long !== null) {
          line = long;
          sinceLong = 0;
        }
      }
      yield line;
      if (++emitted === plan.alerts) return;
    }
  }
  throw new Error(`the demo generator gave only ${emitted} of ${plan.alerts} alerts`);
}

/** Exactly `alerts` lines over the window (nowMs − days, nowMs]: the plan's parts in order, topped up if short. */
export function* benchAlerts(options: BenchAlertOptions): Generator<string> {
  if (options.alerts <= 0) return;
  const plan = benchPlan(options);
  let emitted = 0;
  for (let part = 0; part < plan.parts; part++) {
    for (const line of benchPart(plan, part)) {
      yield line;
      if (++emitted === plan.alerts) return;
    }
  }
  yield* benchTopUp(plan, emitted);
}
