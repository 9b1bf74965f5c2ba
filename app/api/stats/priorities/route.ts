// GET: alert counts per priority for the filter (same parameters as /api/events).
import { parseEventQuery } from '@/lib/api/parse-query';
import { jsonResponse, withApi } from '@/lib/api/with-api';
import { getDb } from '@/lib/db/connection';
import { countByPriority } from '@/lib/db/event-queries';

export const GET = withApi((request) => {
  const { filter } = parseEventQuery(request);
  const priorities = countByPriority(getDb(), filter);
  return jsonResponse({ total: priorities.reduce((sum, p) => sum + p.count, 0), priorities });
});
