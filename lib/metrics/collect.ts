import 'server-only';
// Everything /metrics exposes: the ingest counters, and gauges read at scrape time from the store,
// the commit queue, the live stream hub and the process.
import { getConfig } from '../config';
import { getDb } from '../db/connection';
import { storeStats } from '../db/store-stats';
import { ingestQueueState } from '../ingest/ingest';
import { streamHub } from '../live/stream-hub';
import { ingestMetrics } from './ingest-metrics';
import { renderMetrics, type MetricFamily } from './prometheus';

const gauge = (name: string, help: string, value: number): MetricFamily => ({ name, help, type: 'gauge', samples: [{ value }] });

export function collectMetrics(): string {
  const ingest = ingestMetrics();
  const store = storeStats(getDb());
  const queue = ingestQueueState();
  const memory = process.memoryUsage();
  const families: MetricFamily[] = [
    { name: 'perch_alerts_received_total', type: 'counter', help: 'Valid alerts in ingest requests, by source and priority (stored, duplicate, or refused by the store).', samples: ingest.received.samples() },
    { name: 'perch_alerts_stored_total', type: 'counter', help: 'Alerts committed to the store, by source and priority.', samples: ingest.stored.samples() },
    { name: 'perch_alerts_duplicate_total', type: 'counter', help: 'Alerts already in the store (same uuid or content), by source and priority.', samples: ingest.duplicates.samples() },
    { name: 'perch_alerts_clock_skewed_total', type: 'counter', help: 'Alerts stored at their arrival time because the time they gave was more than PERCH_MAX_CLOCK_SKEW ahead of it.', samples: [{ value: ingest.clockSkewedAlerts }] },
    { name: 'perch_ingest_rejected_total', type: 'counter', help: 'Ingest requests answered with a 4xx, by error code; resending them unchanged fails again.', samples: ingest.rejected.samples() },
    { name: 'perch_ingest_refused_total', type: 'counter', help: 'Ingest requests answered with a 5xx, by error code: Falco drops these alerts, falcosidekick retries.', samples: ingest.refused.samples() },
    { name: 'perch_ingest_partial_entries_rejected_total', type: 'counter', help: 'Bad entries left out of ?partial=1 batches whose valid entries were stored.', samples: [{ value: ingest.partialEntriesRejected }] },
    { name: 'perch_ingest_worker_entries_total', type: 'counter', help: 'Entries of large NDJSON bodies parsed and checked on the ingest worker thread, beside the main one.', samples: [{ value: ingest.workerPreparedEntries }] },
    {
      name: 'perch_ingest_duration_seconds',
      type: 'histogram',
      help: 'Time from an ingest request reaching its handler to its answer, by outcome: stored (2xx), rejected (4xx), refused (5xx).',
      samples: Object.entries(ingest.ingestSeconds).flatMap(([outcome, histogram]) => histogram.samples({ outcome })),
    },
    gauge('perch_ingest_pending_alerts', 'Alerts waiting for their commit.', queue.pendingAlerts),
    gauge('perch_ingest_max_pending_alerts', 'PERCH_MAX_PENDING: beyond it ingest answers 503 ingest_overloaded.', queue.maxPendingAlerts),
    gauge('perch_store_size_bytes', 'Size of the database file (pages in use and free), without the WAL.', store.bytes),
    gauge('perch_store_free_bytes', 'Free pages in the database file, reused before it grows.', store.freeBytes),
    gauge('perch_store_wal_bytes', 'Size of the write-ahead log beside the database file.', store.walBytes),
    gauge('perch_store_alerts', 'Alerts in the store, Falco health events included.', store.alerts),
    { name: 'perch_retention_deleted_total', type: 'counter', help: 'Alerts deleted by retention (PERCH_RETENTION, PERCH_MAX_EVENTS).', samples: [{ value: ingest.retentionDeleted }] },
    gauge('perch_stream_clients', 'Open live streams (/api/stream).', streamHub().size),
    gauge('process_resident_memory_bytes', 'Resident memory of the server process.', memory.rss),
    gauge('nodejs_heap_size_used_bytes', 'JavaScript heap in use.', memory.heapUsed),
    gauge('process_start_time_seconds', 'When the server started, in seconds since the epoch.', Math.round(Date.now() / 1000 - process.uptime())),
  ];
  if (getConfig().maxStoreBytes !== null) {
    families.push(gauge('perch_store_max_size_bytes', 'PERCH_MAX_STORE_SIZE as applied: the database file grows no further.', store.maxBytes));
  }
  return renderMetrics(families);
}
