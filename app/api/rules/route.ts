// GET: every rule that fired for the filter (worst priority, count, trend, first/last seen, containers, hosts) and the trend's buckets.
import { QUERIES } from '@/lib/api/parse-query';
import { apiRoute, jsonTextResponse, withApi } from '@/lib/api/with-api';
import { readJson } from '@/lib/db/read-pool';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  GET: withApi(async (_request, { query }) => jsonTextResponse(await readJson('rules', query.filter)), {
    query: QUERIES.filter,
  }),
});
