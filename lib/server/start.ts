import 'server-only';
import { AccessConfigError, getAccessConfig } from '../access/access-config';
import { sessionKey } from '../access/session';
import { ConfigError, getConfig } from '../config';
import { getDb } from '../db/connection';
import { keepEndedSessions } from '../db/ended-sessions';
import { countAlerts } from '../db/event-queries';
import { readPool } from '../db/read-pool';
import { pruneAll } from '../db/retention';
import { startFacetBackfill } from '../ingest/facet-backfill';
import { startGroupBackfill } from '../ingest/group-backfill';
import { sharedPreparer } from '../ingest/line-preparer';
import { ingestMetrics } from '../metrics/ingest-metrics';

/** A bad setting stops the server with its message; anything else is a bug and throws. */
function orExit<T>(read: () => T, Expected: new (...args: never[]) => Error): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof Expected)) throw error;
    console.error(`[perch] ${error.message}`);
    process.exit(1);
  }
}

// The server (lib/server/serve.ts) starts Perch before Next does (instrumentation.ts): once is enough.
const holder = globalThis as typeof globalThis & { __perchStarted?: boolean };

export function startPerch(): void {
  if (holder.__perchStarted) return;
  holder.__perchStarted = true;
  const config = orExit(getConfig, ConfigError);
  const access = orExit(getAccessConfig, AccessConfigError);
  if (!access.enabled) {
    console.warn(
      '[perch] login is off (PERCH_UI_USERS, PERCH_VIEW_TOKENS and PERCH_TRUSTED_USER_HEADER are unset): anyone who can reach this server can read the alerts.',
    );
  } else {
    sessionKey(); // created now rather than by the first login
    const ways = [
      access.users.size > 0 && `${access.users.size} password user(s)`,
      access.viewTokens.length > 0 && `${access.viewTokens.length} view token(s)`,
      access.trustedUserHeader && `users from ${access.trustedUserHeader} set by trusted proxies`,
    ];
    console.log(`[perch] login required: ${ways.filter(Boolean).join(', ')}`);
    if (access.trustedUserHeader && !process.env.PERCH_PEER_SECRET) {
      console.warn(
        "[perch] PERCH_TRUSTED_USER_HEADER is ignored: start Perch with `npm start` (lib/server/serve.ts), which knows each connection's address.",
      );
    }
  }
  const db = getDb();
  // Before the first request: a logged-out cookie must not work again after a restart.
  keepEndedSessions(db);
  // Loaded now rather than when the first large batch arrives, which would be checked on one thread.
  sharedPreparer()?.warmUp();
  // The reader threads load their modules now, not while the first page waits for its data.
  readPool()?.warmUp();
  console.log(`[perch] store ${config.dbFile} (${countAlerts(db)} alerts)`);
  if (config.ingestToken === null) {
    console.warn('[perch] PERCH_INGEST_TOKEN is not set: anyone who can reach this server can post alerts.');
  } else {
    console.log('[perch] ingest requires PERCH_INGEST_TOKEN');
  }

  startFacetBackfill(db);
  startGroupBackfill(db);

  const policy = { retentionMs: config.retentionMs, maxEvents: config.maxEvents };
  // With no retention the loop still drops the quarter-hour counts that age out (decision 0037).
  if (policy.retentionMs !== null || policy.maxEvents !== null)
    console.log(
      `[perch] retention: ${process.env.PERCH_RETENTION ?? 'any age'}, ${config.maxEvents ?? 'any number of'} alerts`,
    );
  let running = false;
  const prune = async () => {
    if (running) return;
    running = true;
    try {
      const deleted = await pruneAll(db, policy);
      ingestMetrics().retentionDeleted += deleted;
      if (deleted > 0) console.log(`[perch] retention removed ${deleted} alert(s)`);
    } catch (error) {
      console.error('[perch] retention failed:', error);
    } finally {
      running = false;
    }
  };
  void prune();
  setInterval(prune, config.pruneIntervalMs).unref();
}
