// The servers a Playwright run starts, each on its own fresh store under .e2e/. Pure data: the
// config and the tests both read it, and nothing here touches the disk.
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const basePort = Number(process.env.E2E_PORT ?? 3100);

function server(name: string, offset: number, env: Record<string, string> = {}) {
  const dbFile = path.join(root, process.env.E2E_DIR ?? '.e2e', name, 'perch.db');
  return { name, port: basePort + offset, url: `http://127.0.0.1:${basePort + offset}`, dbFile, env: { PERCH_DB: dbFile, ...env } };
}

export const INGEST_TOKEN = 'e2e-ingest-token-3f9a';

export const SERVERS = {
  /** Shared by most tests: every test posts its own uniquely named alerts. */
  main: server('main', 0),
  /** Nothing is ever posted here: the empty-store page. */
  empty: server('empty', 1),
  /** Ingest requires a token; small body limit. */
  secured: server('secured', 2, { PERCH_INGEST_TOKEN: INGEST_TOKEN, PERCH_MAX_BODY: '64kb' }),
  /** Keeps only the newest 20 alerts, pruning every second. */
  retention: server('retention', 3, { PERCH_MAX_EVENTS: '20', PERCH_PRUNE_INTERVAL: '1s' }),
} as const;
