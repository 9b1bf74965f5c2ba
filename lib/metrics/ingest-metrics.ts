// What ingest and retention have done since the server started. Kept on globalThis so that every
// route bundle counts into the same numbers; /metrics renders them (lib/metrics/collect.ts).
import { Counter, Histogram, Registry } from 'prom-client';
import type { ErrorCode } from '../errors';

// `source` is whatever the sender wrote, and each distinct label value is a new time series kept
// for ever: only Falco's own sources and its plugins' get a label of their own.
const KNOWN_SOURCES = new Set([
  'syscall',
  'internal',
  'k8s_audit',
  'aws_cloudtrail',
  'gcp_auditlog',
  'auditlogs',
  'okta',
  'github',
  'docker',
  'nomad',
  'kafka',
  'dummy',
]);

/** The `source` label of an alert: a known Falco source, `none` when missing, else `other`. */
export function sourceLabel(source: string | null): string {
  if (source === null || source === '') return 'none';
  return KNOWN_SOURCES.has(source) ? source : 'other';
}

/** What an alert contributes to the per-source, per-priority counters. */
export interface AlertLabels {
  source: string | null;
  priority: string;
}

/** Request outcomes a sender should not retry as is (4xx) … */
const REJECTION_REASONS = [
  'empty_body',
  'invalid_json',
  'invalid_alert',
  'payload_too_large',
  'unauthorized',
  'cross_site_request',
] as const;
/** … and the ones the server could not take right now (5xx): Falco drops them, falcosidekick retries. */
const REFUSAL_REASONS = ['ingest_overloaded', 'store_unavailable', 'internal'] as const;

/** stored: a 2xx (duplicates included); rejected: a 4xx; refused: a 5xx. */
export type IngestOutcome = 'stored' | 'rejected' | 'refused';
const OUTCOMES: readonly IngestOutcome[] = ['stored', 'rejected', 'refused'];

// From a refusal answered before the body is read (a few ms) to a large batch's commit (seconds).
const INGEST_SECONDS_BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type AlertCounter = Counter<'source' | 'priority'>;

/** A counter without labels that its callers raise with `+=`. */
class Tally {
  private total = 0;
  constructor(private readonly counter: Counter) {}
  get value(): number {
    return this.total;
  }
  set value(next: number) {
    if (next > this.total) this.counter.inc(next - this.total);
    this.total = next;
  }
}

export class IngestMetrics {
  /** Every ingest metric, rendered by /metrics. */
  readonly registry = new Registry();
  private readonly alertCounter = (name: string, help: string): AlertCounter =>
    new Counter({ name, help, labelNames: ['source', 'priority'], registers: [this.registry] });
  private readonly tally = (name: string, help: string) =>
    new Tally(new Counter({ name, help, registers: [this.registry] }));

  readonly received = this.alertCounter(
    'perch_alerts_received_total',
    'Valid alerts in ingest requests, by source and priority (stored, duplicate, or refused by the store).',
  );
  readonly stored = this.alertCounter(
    'perch_alerts_stored_total',
    'Alerts committed to the store, by source and priority.',
  );
  readonly duplicates = this.alertCounter(
    'perch_alerts_duplicate_total',
    'Alerts already in the store (same uuid or content), by source and priority.',
  );
  private readonly clockSkewed = this.tally(
    'perch_alerts_clock_skewed_total',
    'Alerts stored at their arrival time because the time they gave was more than PERCH_MAX_CLOCK_SKEW ahead of it.',
  );
  readonly rejected = new Counter({
    name: 'perch_ingest_rejected_total',
    help: 'Ingest requests answered with a 4xx, by error code; resending them unchanged fails again.',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly refused = new Counter({
    name: 'perch_ingest_refused_total',
    help: 'Ingest requests answered with a 5xx, by error code: Falco drops these alerts, falcosidekick retries.',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  private readonly partialEntries = this.tally(
    'perch_ingest_partial_entries_rejected_total',
    'Bad entries left out of ?partial=1 batches whose valid entries were stored.',
  );
  private readonly workerEntries = this.tally(
    'perch_ingest_worker_entries_total',
    'Entries of large NDJSON bodies parsed and checked on the ingest worker thread while the main one writes them.',
  );
  private readonly streamedEntries = this.tally(
    'perch_ingest_streamed_entries_total',
    'Entries of large NDJSON bodies written while they were prepared: by the ingest worker thread, or by the writing one while it waited.',
  );
  /** Ingest request durations by outcome: a refusal should take next to nothing. */
  readonly ingestSeconds = new Histogram({
    name: 'perch_ingest_duration_seconds',
    help: 'Time from an ingest request reaching its handler to its answer, by outcome: stored (2xx), rejected (4xx), refused (5xx).',
    labelNames: ['outcome'],
    buckets: INGEST_SECONDS_BOUNDS,
    registers: [this.registry],
  });
  private readonly retention = this.tally(
    'perch_retention_deleted_total',
    'Alerts deleted by retention (PERCH_RETENTION, PERCH_MAX_EVENTS).',
  );

  constructor() {
    // Present at 0 from the start, so an alert rule on a refusal rate needs no special case.
    for (const reason of REJECTION_REASONS) this.rejected.inc({ reason }, 0);
    for (const reason of REFUSAL_REASONS) this.refused.inc({ reason }, 0);
    for (const outcome of OUTCOMES) this.ingestSeconds.zero({ outcome });
  }

  /** Entries left out of `?partial=1` batches whose valid entries were stored. */
  get partialEntriesRejected(): number {
    return this.partialEntries.value;
  }
  set partialEntriesRejected(value: number) {
    this.partialEntries.value = value;
  }
  /** Entries of large NDJSON bodies checked on the ingest worker thread (lib/ingest/write-while-preparing.ts). */
  get workerPreparedEntries(): number {
    return this.workerEntries.value;
  }
  set workerPreparedEntries(value: number) {
    this.workerEntries.value = value;
  }
  /** Entries of large NDJSON bodies written while they were prepared (lib/ingest/write-while-preparing.ts), by either thread. */
  get streamedPreparedEntries(): number {
    return this.streamedEntries.value;
  }
  set streamedPreparedEntries(value: number) {
    this.streamedEntries.value = value;
  }
  get retentionDeleted(): number {
    return this.retention.value;
  }
  set retentionDeleted(value: number) {
    this.retention.value = value;
  }
  /** Alerts stored at their arrival time because their own was too far ahead (PERCH_MAX_CLOCK_SKEW). */
  get clockSkewedAlerts(): number {
    return this.clockSkewed.value;
  }
  set clockSkewedAlerts(value: number) {
    this.clockSkewed.value = value;
  }

  countAlerts(counter: AlertCounter, alerts: readonly AlertLabels[]): void {
    for (const alert of alerts) counter.inc({ source: sourceLabel(alert.source), priority: alert.priority });
  }

  /** Counts a failed ingest request under its error code; returns whether it was a refusal. */
  countFailure(code: ErrorCode): IngestOutcome {
    if ((REFUSAL_REASONS as readonly string[]).includes(code)) {
      this.refused.inc({ reason: code });
      return 'refused';
    }
    this.rejected.inc({ reason: code });
    return 'rejected';
  }

  observeIngest(outcome: IngestOutcome, seconds: number): void {
    this.ingestSeconds.observe({ outcome }, seconds);
  }
}

const holder = globalThis as typeof globalThis & { __perchIngestMetrics?: IngestMetrics };

/** The process-wide counters. */
export function ingestMetrics(): IngestMetrics {
  holder.__perchIngestMetrics ??= new IngestMetrics();
  return holder.__perchIngestMetrics;
}
