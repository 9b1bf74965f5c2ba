// GET: store reachable, event count, newest event time, version. Open to anyone (load balancers
// and probes); the counts only for those who may read alerts.
import { viewerOf } from '@/lib/access/require-viewer';
import { jsonResponse, withApi } from '@/lib/api/with-api';
import { getDb } from '@/lib/db/connection';
import { healthReport } from '@/lib/db/event-queries';
import packageJson from '@/package.json';

export const GET = withApi((request) => {
  const db = getDb(); // throws (a 500) when the store cannot be opened
  // A probe may ask every second: it reads nothing from the store.
  if (!viewerOf(request)) return jsonResponse({ status: 'ok', version: packageJson.version });
  return jsonResponse(healthReport(db, packageJson.version));
}, { access: 'public' });
