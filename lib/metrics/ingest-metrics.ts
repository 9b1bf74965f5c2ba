// What ingest and retention have done since the server started. Kept on globalThis so that every
// route bundle counts into the same numbers; /metrics renders them (lib/metrics/collect.ts).
import type { ErrorCode } from '../api/errors';
import { Histogram, LabeledCounter } from './prometheus';

// `source` is whatever the sender wrote, and each distinct label value is a new time series kept
// for ever: only Falco's own sources and its plugins' get a label of their own.
const KNOWN_SOURCES = new Set([
  'syscall', 'internal', 'k8s_audit', 'aws_cloudtrail', 'gcp_auditlog', 'auditlogs', 'okta', 'github',
  'docker', 'nomad', 'kafka', 'dummy',
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
export const REJECTION_REASONS = ['empty_body', 'invalid_json', 'invalid_alert', 'payload_too_large', 'unauthorized', 'cross_site_request'] as const;
/** … and the ones the server could not take right now (5xx): Falco drops them, falcosidekick retries. */
export const REFUSAL_REASONS = ['ingest_overloaded', 'store_unavailable', 'internal'] as const;

/** stored: a 2xx (duplicates included); rejected: a 4xx; refused: a 5xx. */
export type IngestOutcome = 'stored' | 'rejected' | 'refused';

// From a refusal answered before the body is read (a few ms) to a large batch's commit (seconds).
const INGEST_SECONDS_BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class IngestMetrics {
  readonly received = new LabeledCounter();
  readonly stored = new LabeledCounter();
  readonly duplicates = new LabeledCounter();
  readonly rejected = new LabeledCounter();
  readonly refused = new LabeledCounter();
  /** Ingest request durations by outcome: a refusal should take next to nothing. */
  readonly ingestSeconds: Record<IngestOutcome, Histogram> = {
    stored: new Histogram(INGEST_SECONDS_BOUNDS),
    rejected: new Histogram(INGEST_SECONDS_BOUNDS),
    refused: new Histogram(INGEST_SECONDS_BOUNDS),
  };
  /** Entries left out of `?partial=1` batches whose valid entries were stored. */
  partialEntriesRejected = 0;
  /** Entries of large NDJSON bodies checked on the ingest worker thread (lib/ingest/prepare-body.ts). */
  workerPreparedEntries = 0;
  retentionDeleted = 0;
  /** Alerts stored at their arrival time because their own was too far ahead (PERCH_MAX_CLOCK_SKEW). */
  clockSkewedAlerts = 0;

  constructor() {
    // Present at 0 from the start, so an alert rule on a refusal rate needs no special case.
    for (const reason of REJECTION_REASONS) this.rejected.add({ reason }, 0);
    for (const reason of REFUSAL_REASONS) this.refused.add({ reason }, 0);
  }

  countAlerts(counter: LabeledCounter, alerts: readonly AlertLabels[]): void {
    for (const alert of alerts) counter.add({ source: sourceLabel(alert.source), priority: alert.priority });
  }

  /** Counts a failed ingest request under its error code; returns whether it was a refusal. */
  countFailure(code: ErrorCode): IngestOutcome {
    if ((REFUSAL_REASONS as readonly string[]).includes(code)) {
      this.refused.add({ reason: code });
      return 'refused';
    }
    this.rejected.add({ reason: code });
    return 'rejected';
  }

  observeIngest(outcome: IngestOutcome, seconds: number): void {
    this.ingestSeconds[outcome].observe(seconds);
  }
}

const holder = globalThis as typeof globalThis & { __perchIngestMetrics?: IngestMetrics };

/** The process-wide counters. */
export function ingestMetrics(): IngestMetrics {
  holder.__perchIngestMetrics ??= new IngestMetrics();
  return holder.__perchIngestMetrics;
}
