// GET: the most frequent values of one dimension for the filter, with counts and worst priority.
import { parseEnumParam, parseEventQuery, parseIntParam } from '@/lib/api/parse-query';
import { jsonTextResponse, withApi } from '@/lib/api/with-api';
import { readJson } from '@/lib/db/read-pool';
import { DIMENSION_NAMES } from '@/lib/filters/dimensions';

export const GET = withApi(async (request) => {
  const { filter } = parseEventQuery(request);
  const dimension = parseEnumParam(request, 'dimension', DIMENSION_NAMES);
  const limit = parseIntParam(request, 'limit', 1, 500, 10);
  return jsonTextResponse(await readJson('top', filter, dimension, limit));
});
