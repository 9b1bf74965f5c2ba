import 'server-only';
// Everything /metrics exposes: the ingest counters, gauges read at scrape time from the store, the
// commit queue and the live stream hub, and prom-client's process metrics.
import { Gauge, Registry } from 'prom-client';
import { getConfig } from '../config';
import { getDb } from '../db/connection';
import { storeStats, type StoreStats } from '../db/store-stats';
import { ingestQueueState } from '../ingest/ingest';
import { streamHub } from '../live/stream-hub';
import { ingestMetrics } from './ingest-metrics';
import { processRegistry, renderRegistries } from './prometheus';

interface Snapshot {
  store: StoreStats;
  queue: ReturnType<typeof ingestQueueState>;
  streamClients: number;
}

// Read once per scrape, before the gauges' collect() callbacks copy from it.
let snapshot: Snapshot | null = null;

const scrapeGauge = (registry: Registry, name: string, help: string, read: (now: Snapshot) => number) =>
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      if (snapshot) this.set(read(snapshot));
    },
  });

const MAX_STORE_SIZE = 'perch_store_max_size_bytes';

function buildScrapeRegistry(): Registry {
  const registry = new Registry();
  scrapeGauge(
    registry,
    'perch_ingest_pending_alerts',
    'Alerts waiting for their commit.',
    (now) => now.queue.pendingAlerts,
  );
  scrapeGauge(
    registry,
    'perch_ingest_max_pending_alerts',
    'PERCH_MAX_PENDING: beyond it ingest answers 503 ingest_overloaded.',
    (now) => now.queue.maxPendingAlerts,
  );
  scrapeGauge(
    registry,
    'perch_store_size_bytes',
    'Size of the database file (pages in use and free), without the WAL.',
    (now) => now.store.bytes,
  );
  scrapeGauge(
    registry,
    'perch_store_free_bytes',
    'Free pages in the database file, reused before it grows.',
    (now) => now.store.freeBytes,
  );
  scrapeGauge(
    registry,
    'perch_store_wal_bytes',
    'Size of the write-ahead log beside the database file.',
    (now) => now.store.walBytes,
  );
  scrapeGauge(
    registry,
    'perch_store_alerts',
    'Alerts in the store, Falco health events included.',
    (now) => now.store.alerts,
  );
  scrapeGauge(registry, 'perch_stream_clients', 'Open live streams (/api/stream).', (now) => now.streamClients);
  if (getConfig().maxStoreBytes !== null) {
    scrapeGauge(
      registry,
      MAX_STORE_SIZE,
      'PERCH_MAX_STORE_SIZE as applied: the database file grows no further.',
      (now) => now.store.maxBytes,
    );
  }
  return registry;
}

let scrapeRegistry: Registry | null = null;

export async function collectMetrics(): Promise<string> {
  scrapeRegistry ??= buildScrapeRegistry();
  snapshot = { store: storeStats(getDb()), queue: ingestQueueState(), streamClients: streamHub().size };
  try {
    return await renderRegistries([ingestMetrics().registry, scrapeRegistry, processRegistry()]);
  } finally {
    snapshot = null;
  }
}
