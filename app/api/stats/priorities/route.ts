// GET: alert counts per priority for the filter (same parameters as /api/events).
import { parseEventQuery } from '@/lib/api/parse-query';
import { jsonResponse, withApi } from '@/lib/api/with-api';
import { getDb } from '@/lib/db/connection';
import { priorityTotals } from '@/lib/db/event-queries';

export const GET = withApi((request) => jsonResponse(priorityTotals(getDb(), parseEventQuery(request).filter)));
