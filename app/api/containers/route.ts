// GET: every container (and each host as a pseudo-container) for the filter, with counts and top rules.
import { parseEventQuery, parseIntParam } from '@/lib/api/parse-query';
import { jsonResponse, withApi } from '@/lib/api/with-api';
import { getDb } from '@/lib/db/connection';
import { containerRows } from '@/lib/db/stats-queries';

export const GET = withApi((request) => {
  const { filter } = parseEventQuery(request);
  return jsonResponse({ containers: containerRows(getDb(), filter, parseIntParam(request, 'limit', 1, 5000, 500)) });
});
