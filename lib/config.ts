// Every PERCH_* setting, read and checked once. A bad value stops start-up with a clear message
// rather than being ignored.
import path from 'node:path';
import { parseByteSize, parseDurationMs } from './duration';

export interface PerchConfig {
  dbFile: string;
  retentionMs: number | null;
  maxEvents: number | null;
  maxBodyBytes: number;
  ingestToken: string | null;
  pruneIntervalMs: number;
  groupCommit: boolean;
  /** Alerts waiting for their commit beyond which ingest refuses (PERCH_MAX_PENDING). */
  maxPendingAlerts: number;
  /** The largest the store file may grow (PERCH_MAX_STORE_SIZE), or null for no limit but the disk. */
  maxStoreBytes: number | null;
  /** How far ahead of its arrival an alert's time may be before it is stored at its arrival (PERCH_MAX_CLOCK_SKEW). */
  maxClockSkewMs: number;
  /** Threads that answer the read API (PERCH_READ_THREADS); 0 reads on the main thread. */
  readThreads: number;
  /** A bearer token that may read /metrics and nothing else (PERCH_METRICS_TOKEN). */
  metricsToken: string | null;
  /** Open live streams one client address may hold (PERCH_MAX_STREAMS_PER_CLIENT). */
  maxStreamsPerClient: number;
}

export class ConfigError extends Error {}

// Enough waiting alerts for a burst or a big batch, few enough that a flood cannot grow the server's
// memory much further (what they hold and how long they take to commit: docs/decisions/0014).
const DEFAULT_MAX_PENDING = 10_000;
// Two: a slow read leaves another thread for the rest, and the main thread keeps a core for ingest.
const DEFAULT_READ_THREADS = 2;
// One browser tab holds one stream: 100 serves dozens of wall screens and analysts' tabs behind one
// NAT address, and one client still cannot fill the server's 1,000 streams alone.
const DEFAULT_MAX_STREAMS_PER_CLIENT = 100;

/** The settings in `env`; throws ConfigError naming the first bad one. */
export function readConfig(env: Readonly<Record<string, string | undefined>>): PerchConfig {
  const setting = (name: string) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const retention = setting('PERCH_RETENTION');
  const retentionMs = retention === undefined ? null : parseDurationMs(retention);
  if (retentionMs === undefined || retentionMs === 0) {
    throw new ConfigError(`PERCH_RETENTION=${retention} is not a duration such as 30d, 12h or 2w`);
  }
  const maxEventsText = setting('PERCH_MAX_EVENTS');
  const maxEvents = maxEventsText === undefined ? null : Number(maxEventsText);
  if (maxEvents !== null && (!Number.isSafeInteger(maxEvents) || maxEvents < 1)) {
    throw new ConfigError(`PERCH_MAX_EVENTS=${maxEventsText} is not a positive whole number`);
  }
  const maxBodyText = setting('PERCH_MAX_BODY');
  const maxBodyBytes = maxBodyText === undefined ? 16 * 1024 ** 2 : parseByteSize(maxBodyText);
  if (!maxBodyBytes) throw new ConfigError(`PERCH_MAX_BODY=${maxBodyText} is not a size such as 16mb or 1048576`);
  const maxPendingText = setting('PERCH_MAX_PENDING');
  const maxPendingAlerts = maxPendingText === undefined ? DEFAULT_MAX_PENDING : Number(maxPendingText);
  if (!Number.isSafeInteger(maxPendingAlerts) || maxPendingAlerts < 1) {
    throw new ConfigError(`PERCH_MAX_PENDING=${maxPendingText} is not a positive whole number`);
  }
  const maxStoreText = setting('PERCH_MAX_STORE_SIZE');
  const maxStoreBytes = maxStoreText === undefined ? null : parseByteSize(maxStoreText);
  // Below this not even the empty schema fits.
  if (maxStoreBytes !== null && (maxStoreBytes === undefined || maxStoreBytes < 64 * 1024)) {
    throw new ConfigError(`PERCH_MAX_STORE_SIZE=${maxStoreText} is not a size of at least 64kb such as 2gb or 500mb`);
  }
  const skewText = setting('PERCH_MAX_CLOCK_SKEW');
  const maxClockSkewMs = skewText === undefined ? 3_600_000 : parseDurationMs(skewText);
  if (!maxClockSkewMs)
    throw new ConfigError(`PERCH_MAX_CLOCK_SKEW=${skewText} is not a duration such as 1h, 15m or 1d`);
  const readThreadsText = setting('PERCH_READ_THREADS');
  const readThreads = readThreadsText === undefined ? DEFAULT_READ_THREADS : Number(readThreadsText);
  if (!Number.isSafeInteger(readThreads) || readThreads < 0 || readThreads > 16) {
    throw new ConfigError(`PERCH_READ_THREADS=${readThreadsText} is not a whole number from 0 to 16`);
  }
  const perClientText = setting('PERCH_MAX_STREAMS_PER_CLIENT');
  const maxStreamsPerClient = perClientText === undefined ? DEFAULT_MAX_STREAMS_PER_CLIENT : Number(perClientText);
  if (!Number.isSafeInteger(maxStreamsPerClient) || maxStreamsPerClient < 1) {
    throw new ConfigError(`PERCH_MAX_STREAMS_PER_CLIENT=${perClientText} is not a positive whole number`);
  }

  return {
    dbFile: path.resolve(/*turbopackIgnore: true*/ setting('PERCH_DB') ?? path.join('data', 'perch.db')),
    retentionMs,
    maxEvents,
    maxBodyBytes,
    ingestToken: setting('PERCH_INGEST_TOKEN') ?? null,
    pruneIntervalMs: parseDurationMs(setting('PERCH_PRUNE_INTERVAL') ?? '30s') ?? 30_000,
    groupCommit: setting('PERCH_GROUP_COMMIT') !== 'off',
    maxPendingAlerts,
    maxStoreBytes,
    maxClockSkewMs,
    readThreads,
    metricsToken: setting('PERCH_METRICS_TOKEN') ?? null,
    maxStreamsPerClient,
  };
}

let cached: PerchConfig | undefined;

export function getConfig(): PerchConfig {
  cached ??= readConfig(process.env);
  return cached;
}
