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
}

export class ConfigError extends Error {}

function readConfig(env: NodeJS.ProcessEnv): PerchConfig {
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

  return {
    dbFile: path.resolve(/*turbopackIgnore: true*/ setting('PERCH_DB') ?? path.join('data', 'perch.db')),
    retentionMs,
    maxEvents,
    maxBodyBytes,
    ingestToken: setting('PERCH_INGEST_TOKEN') ?? null,
    pruneIntervalMs: parseDurationMs(setting('PERCH_PRUNE_INTERVAL') ?? '30s') ?? 30_000,
    groupCommit: setting('PERCH_GROUP_COMMIT') !== 'off',
  };
}

let cached: PerchConfig | undefined;

export function getConfig(): PerchConfig {
  cached ??= readConfig(process.env);
  return cached;
}
