// GET: alert counts per time bucket (sized to the range on the server), stacked by priority, rule or container.
import { parseEnumParam, parseEventQuery, parseIntParam } from '@/lib/api/parse-query';
import { jsonTextResponse, withApi } from '@/lib/api/with-api';
import { readJson } from '@/lib/db/read-pool';

export const GET = withApi(async (request) => {
  const { filter } = parseEventQuery(request);
  const stack = parseEnumParam(request, 'stack', ['priority', 'rule', 'container'] as const, 'priority');
  const series = parseIntParam(request, 'series', 1, 20, 8);
  return jsonTextResponse(await readJson('timeline', filter, stack, series));
});
