// GET: store reachable, event count, newest event time, version.
import { jsonResponse, withApi } from '@/lib/api/with-api';
import { getDb } from '@/lib/db/connection';
import { healthReport } from '@/lib/db/event-queries';
import packageJson from '@/package.json';

export const GET = withApi(() => jsonResponse(healthReport(getDb(), packageJson.version)));
