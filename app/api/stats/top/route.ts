// GET: the most frequent values of one dimension for the filter, with counts and worst priority.
import { parseEnumParam, parseEventQuery, parseIntParam } from '@/lib/api/parse-query';
import { jsonResponse, withApi } from '@/lib/api/with-api';
import { getDb } from '@/lib/db/connection';
import { topValues } from '@/lib/db/stats-queries';
import { DIMENSION_NAMES } from '@/lib/filters/dimensions';

export const GET = withApi((request) => {
  const { filter } = parseEventQuery(request);
  const dimension = parseEnumParam(request, 'dimension', DIMENSION_NAMES);
  const limit = parseIntParam(request, 'limit', 1, 500, 10);
  return jsonResponse({ dimension, values: topValues(getDb(), filter, dimension, limit) });
});
