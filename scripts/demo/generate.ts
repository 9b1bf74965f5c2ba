// Demo alerts for `npm run demo`, as Falco's JSON lines. Alerts are a function of (seed, wall-clock
// minute), not of the run, so overlapping runs send identical alerts and the store reports duplicates;
// only the last minutes before `now` get extra alerts, so the dashboard looks alive.
import { DAY_MS, HOUR_MS, MINUTE_MS, NS_PER_MS, poisson, type Rng, rngFor, weighted } from './rng';
import { type AlertSpec, type Ctx, render } from './render';
import {
  adminSudo,
  apiServerContact,
  appShell,
  awsEveryday,
  ciDeploy,
  ciDropExecute,
  ciGitSsh,
  ciHousekeeping,
  ciNpmShell,
  ciPrivilegedPod,
  ciSecretScan,
  disallowedController,
  dropsNoise,
  execSession,
  gcpEveryday,
  kafkaProbe,
  kubeSystemPod,
  logTrim,
  netcatTest,
  nodeDebug,
  nodePortService,
  type Scenario,
  secretGet,
  sshLogin,
  straceRun,
  traversalProbe,
} from './scenarios';
import { type Burst, BURST_SHARE, burstAt } from './bursts';

export interface DemoOptions {
  seed: number;
  /**
   * About this many alerts per `days`, averaged over a week: a one-day window on a Sunday holds fewer
   * than on a Wednesday (each minute's count is a Poisson draw around the daily rhythm).
   */
  alerts: number;
  days: number;
  /** The window ends here: no alert is later than this. */
  nowMs: number;
  /**
   * Only the alerts in (fromMs, toMs] of the window: exactly those the whole window has there, so
   * consecutive parts, generated apart (in parallel), make up the whole window.
   */
  part?: { fromMs: number; toMs: number };
}

export interface DemoAlert {
  timeNs: bigint;
  /** One alert as Falco writes it with json_output: keys sorted, on one line. */
  line: string;
}

// ─── Rhythm and volume ───────────────────────────────────────────────────────────────────────────

function utcHour(tMs: number): number {
  const d = new Date(tMs);
  return d.getUTCHours() + d.getUTCMinutes() / 60;
}

/** People: a working day around 13:00 UTC, quiet nights, quieter weekends. */
function officeHours(tMs: number): number {
  const weekday = new Date(tMs).getUTCDay() % 6 !== 0;
  return (weekday ? 1 : 0.45) * (0.06 + Math.exp(-((utcHour(tMs) - 13) ** 2) / (2 * 3.5 ** 2)));
}

/** CI follows the people, plus the nightly pipelines at 02:15 UTC. */
const ciHours = (tMs: number) => officeHours(tMs) + 0.7 * Math.exp(-((utcHour(tMs) - 2.25) ** 2) / (2 * 0.35 ** 2));
/** Machines run all day; traffic-driven noise follows the users a little. */
const machineHours = (tMs: number) => 0.8 + 0.4 * officeHours(tMs);

interface Category {
  name: string;
  /** Share of the everyday (non-burst) alerts. */
  share: number;
  activity: (tMs: number) => number;
  scenarios: readonly (readonly [number, Scenario])[];
}

const CATEGORIES: readonly Category[] = [
  {
    name: 'people',
    share: 0.45,
    activity: officeHours,
    scenarios: [
      [10, execSession],
      [5, adminSudo],
      [4, sshLogin],
      [3, awsEveryday],
      [3, gcpEveryday],
      [0.8, straceRun],
      [0.3, netcatTest],
      [0.6, nodeDebug],
      [0.35, secretGet],
      [0.2, nodePortService],
    ],
  },
  {
    name: 'machines',
    share: 0.35,
    activity: machineHours,
    scenarios: [
      [10, apiServerContact],
      [6, kafkaProbe],
      [7, appShell],
      [6, disallowedController],
      [0.7, kubeSystemPod],
      [1.2, dropsNoise],
      [0.8, logTrim],
      [0.5, traversalProbe],
    ],
  },
  {
    name: 'ci',
    share: 0.2,
    activity: ciHours,
    scenarios: [
      [3, ciPrivilegedPod],
      [3, ciDropExecute],
      [3, ciNpmShell],
      [3, ciGitSsh],
      [2.5, ciSecretScan],
      [3, ciDeploy],
      [1, ciHousekeeping],
    ],
  },
];

/** The average of an activity curve over one week, sampled per minute. */
function weeklyMean(activity: (tMs: number) => number): number {
  let sum = 0;
  const minutes = 7 * 24 * 60;
  for (let minute = 0; minute < minutes; minute++) sum += activity(minute * MINUTE_MS);
  return sum / minutes;
}

/** Alerts per incident, counted once on fixed draws (an exec session raises two or three). */
function alertsPerIncident(category: Category): number {
  const samples = 400;
  let alerts = 0;
  for (let i = 0; i < samples; i++) {
    const rng = rngFor('calibrate', category.name, i);
    const tMs = Date.UTC(2024, 0, 10, 12);
    alerts += weighted(rng, category.scenarios)({ rng, tMs, tNs: BigInt(tMs) * NS_PER_MS }).length;
  }
  return alerts / samples;
}

const CATEGORY_SCALE = CATEGORIES.map(
  (category) => category.share / alertsPerIncident(category) / weeklyMean(category.activity),
);

// ─── The stream ──────────────────────────────────────────────────────────────────────────────────

function incident(rng: Rng, slot: number, scenario: (ctx: Ctx) => AlertSpec[]): AlertSpec[] {
  const tNs = BigInt(slot * MINUTE_MS) * NS_PER_MS + BigInt(Math.floor(rng() * MINUTE_MS * 1e6));
  return scenario({ rng, tMs: Number(tNs / NS_PER_MS), tNs });
}

function everydaySlot(seed: number, slot: number, perMinute: number, floor: number): AlertSpec[] {
  const tMs = slot * MINUTE_MS;
  const rates = CATEGORIES.map(
    (category, i) => [perMinute * (CATEGORY_SCALE[i] ?? 0) * category.activity(tMs), category] as const,
  );
  const slotRng = rngFor(seed, 'slot', slot);
  const count = poisson(
    slotRng(),
    slotRng,
    Math.max(
      floor,
      rates.reduce((sum, [rate]) => sum + rate, 0),
    ),
  );
  const specs: AlertSpec[] = [];
  for (let i = 0; i < count; i++) {
    const rng = rngFor(seed, 'incident', slot, i);
    specs.push(...incident(rng, slot, (ctx) => weighted(ctx.rng, weighted(ctx.rng, rates).scenarios)(ctx)));
  }
  return specs;
}

function burstSlot(seed: number, burst: Burst, slot: number, perMinute: number): AlertSpec[] {
  const slotRng = rngFor(seed, 'burst-slot', burst.hour, slot);
  const count = poisson(slotRng(), slotRng, burst.intensity * perMinute);
  const specs: AlertSpec[] = [];
  for (let i = 0; i < count; i++)
    specs.push(...incident(rngFor(seed, 'burst-alert', burst.hour, slot, i), slot, burst.scenario));
  return specs;
}

/** The longest an incident's alerts trail its first one (an exec session's follow-up command). */
const INCIDENT_SPAN_MS = 15 * MINUTE_MS;
// The last minutes before `now` are never quiet (at least one incident a minute on average), so a
// dashboard opened right after the run looks alive even on a Sunday night. A higher rate only adds
// incidents to a minute, so a later run, at the normal rate there, sends a subset: duplicates.
const LIVE_MINUTES = 10;
const LIVE_INCIDENTS_PER_MINUTE = 1;

const byTime = (a: { timeNs: bigint }, b: { timeNs: bigint }) =>
  a.timeNs < b.timeNs ? -1 : a.timeNs > b.timeNs ? 1 : 0;

/**
 * The demo alerts of the window (nowMs − days, nowMs], oldest first. Same options → same lines; a
 * later nowMs gives the same lines for the minutes both windows cover (bar the busier last minutes
 * of the earlier window, whose extra alerts the later one leaves out).
 */
export function* demoAlerts({ seed, alerts, days, nowMs, part }: DemoOptions): Generator<DemoAlert> {
  // The rate is the whole window's; a part only narrows what is generated and kept.
  const perMinute = alerts / (days * 24 * 60);
  const startMs = Math.max(nowMs - days * DAY_MS, part?.fromMs ?? -Infinity);
  const endMs = Math.min(nowMs, part?.toMs ?? Infinity);
  const startNs = BigInt(Math.floor(startMs)) * NS_PER_MS;
  const endNs = BigInt(Math.floor(endMs)) * NS_PER_MS;
  const everyday = perMinute * (1 - BURST_SHARE);
  const inWindow = (spec: AlertSpec) => spec.timeNs > startNs && spec.timeNs <= endNs;
  // Two identical alerts in the same instant (CloudTrail has whole seconds) would be one alert to the
  // store: send it once, so a fresh store reports no duplicates.
  let instant = -1n;
  let seen = new Set<string>();
  const fresh = (spec: AlertSpec): DemoAlert | null => {
    const { identity, ...alert } = render(spec);
    if (alert.timeNs !== instant) {
      instant = alert.timeNs;
      seen = new Set();
    }
    if (seen.has(identity)) return null;
    seen.add(identity);
    return alert;
  };

  // Incidents that began shortly before the window still have later alerts inside it.
  const generateFromMs = startMs - INCIDENT_SPAN_MS;
  let pending: AlertSpec[] = [];
  let previousBurst = burstAt(seed, Math.floor(generateFromMs / HOUR_MS) - 1);
  for (let hour = Math.floor(generateFromMs / HOUR_MS); hour <= Math.floor(endMs / HOUR_MS); hour++) {
    const burst = burstAt(seed, hour);
    const bursts = [previousBurst, burst].filter((b): b is Burst => b !== null);
    previousBurst = burst;
    const firstSlot = Math.max(hour * 60, Math.floor(generateFromMs / MINUTE_MS));
    const lastSlot = Math.min(hour * 60 + 59, Math.floor(endMs / MINUTE_MS));
    for (let slot = firstSlot; slot <= lastSlot; slot++) {
      const live = slot > Math.floor(nowMs / MINUTE_MS) - LIVE_MINUTES ? LIVE_INCIDENTS_PER_MINUTE : 0;
      pending.push(...everydaySlot(seed, slot, everyday, live));
      for (const b of bursts) {
        if (slot >= b.firstSlot && slot < b.firstSlot + b.minutes) pending.push(...burstSlot(seed, b, slot, perMinute));
      }
    }
    // An incident's later alerts (seconds to minutes after it) can fall into the next hour: hold them.
    pending.sort(byTime);
    const horizon = BigInt((hour + 1) * HOUR_MS) * NS_PER_MS;
    const held: AlertSpec[] = [];
    for (const spec of pending) {
      if (spec.timeNs >= horizon) held.push(spec);
      else if (inWindow(spec)) {
        const alert = fresh(spec);
        if (alert) yield alert;
      }
    }
    pending = held;
  }
  for (const spec of pending) {
    const alert = inWindow(spec) ? fresh(spec) : null;
    if (alert) yield alert;
  }
}
