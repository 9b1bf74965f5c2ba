// GET: store reachable, event count, newest event time, version. Open to anyone (load balancers
// and probes); the counts only for those who may read alerts.
import { viewerOf } from '@/lib/access/require-viewer';
import { jsonResponse, withApi } from '@/lib/api/with-api';
import { getDb } from '@/lib/db/connection';
import { healthReport } from '@/lib/db/event-queries';
import packageJson from '@/package.json';

export const GET = withApi((request) => {
  const report = healthReport(getDb(), packageJson.version);
  return jsonResponse(viewerOf(request) ? report : { status: report.status, version: report.version });
}, { access: 'public' });
