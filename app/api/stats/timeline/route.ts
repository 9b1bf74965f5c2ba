// GET: alert counts per time bucket (sized to the range on the server), stacked by priority, rule or container.
import { parseEnumParam, parseEventQuery, parseIntParam } from '@/lib/api/parse-query';
import { jsonResponse, withApi } from '@/lib/api/with-api';
import { getDb } from '@/lib/db/connection';
import { timeline } from '@/lib/db/stats-queries';

export const GET = withApi((request) => {
  const { filter } = parseEventQuery(request);
  const stack = parseEnumParam(request, 'stack', ['priority', 'rule', 'container'] as const, 'priority');
  const series = parseIntParam(request, 'series', 1, 20, 8);
  return jsonResponse(timeline(getDb(), filter, stack, series));
});
