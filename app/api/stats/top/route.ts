// GET: the most frequent values of one dimension for the filter, with counts and worst priority.
import { QUERIES } from '@/lib/api/parse-query';
import { apiRoute, jsonTextResponse, withApi } from '@/lib/api/with-api';
import { readJson } from '@/lib/db/read-pool';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  GET: withApi(
    async (_request, { query }) => jsonTextResponse(await readJson('top', query.filter, query.dimension, query.limit)),
    { query: QUERIES.top },
  ),
});
