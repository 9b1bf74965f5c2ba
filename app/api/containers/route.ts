// GET: every container (and each host as a pseudo-container) for the filter, with counts and top rules.
import { parseEventQuery, parseIntParam } from '@/lib/api/parse-query';
import { jsonTextResponse, withApi } from '@/lib/api/with-api';
import { readJson } from '@/lib/db/read-pool';

export const GET = withApi(async (request) => {
  const { filter } = parseEventQuery(request);
  return jsonTextResponse(await readJson('containers', filter, parseIntParam(request, 'limit', 1, 5000, 500)));
});
