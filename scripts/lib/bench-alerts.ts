// Alerts for `npm run bench`: the demo cluster's (scripts/demo-alerts.ts: the stable rules, 40
// containers in 8 namespaces on 6 hosts, ancestry chains, k8s_audit, CloudTrail and GCP audit
// sources, Falco's own drop events), exactly as many as asked, plus one alert in LONG_EVERY whose
// command line is a 4 KB dropper (`sh -c 'echo <base64>|base64 -d|sh'`), as real shells produce.
// Pure and deterministic for the same options, like the demo alerts.
import { demoAlerts } from '../demo-alerts';

export interface BenchAlertOptions {
  alerts: number;
  days: number;
  nowMs: number;
  seed?: number;
}

/** One alert in this many (that has a command line with arguments) carries a 4 KB command line. */
export const LONG_EVERY = 500;
/** The length of the long command lines, so that their output text is about 4 KB. */
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
 * The alert with its command line replaced by a 4 KB one, everywhere it appears (output_fields and
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

function count(options: Required<BenchAlertOptions>): number {
  let n = 0;
  for (const _ of demoAlerts(options)) n++;
  return n;
}

/**
 * Exactly `alerts` lines over the window (nowMs − days, nowMs]. The demo generator gives about its
 * `alerts` as a weekly average, so a small run measures how many it gives for this window; the real
 * run asks for a little more and leaves out an evenly spread few, and tops up from the next seed in
 * the rare case it falls short.
 */
export function* benchAlerts({ alerts, days, nowMs, seed = 7 }: BenchAlertOptions): Generator<string> {
  if (alerts <= 0) return;
  const sample = Math.min(alerts, 20_000);
  const yieldPerAsked = Math.max(0.05, count({ alerts: sample, days, nowMs, seed }) / sample);
  const asked = Math.ceil((alerts / yieldPerAsked) * 1.03);
  const keep = Math.min(1, alerts / (asked * yieldPerAsked));
  let emitted = 0;
  let sinceLong = 0;
  for (let round = 0; emitted < alerts && round < 10; round++) {
    let seen = 0;
    for (const alert of demoAlerts({ alerts: asked, days, nowMs, seed: seed + round })) {
      seen++;
      if (round === 0 && Math.floor(seen * keep) === Math.floor((seen - 1) * keep)) continue;
      let line = alert.line;
      if (++sinceLong >= LONG_EVERY) {
        const long = withLongCommand(line, emitted);
        if (long !== null) {
          line = long;
          sinceLong = 0;
        }
      }
      yield line;
      if (++emitted === alerts) return;
    }
  }
  throw new Error(`the demo generator gave only ${emitted} of ${alerts} alerts`);
}
