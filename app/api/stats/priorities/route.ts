// GET: alert counts per priority for the filter (same parameters as /api/events).
import { QUERIES } from '@/lib/api/parse-query';
import { apiRoute, jsonTextResponse, withApi } from '@/lib/api/with-api';
import { readJson } from '@/lib/db/read-pool';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  GET: withApi(async (_request, { query }) => jsonTextResponse(await readJson('priorities', query.filter)), {
    query: QUERIES.filter,
  }),
});
