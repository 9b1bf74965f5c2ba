// GET: every container (and each host as a pseudo-container) for the filter, with counts and top rules.
import { QUERIES } from '@/lib/api/parse-query';
import { apiRoute, jsonTextResponse, withApi } from '@/lib/api/with-api';
import { readJson } from '@/lib/db/read-pool';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  GET: withApi(
    async (_request, { query }) => jsonTextResponse(await readJson('containers', query.filter, query.limit)),
    { query: QUERIES.containers },
  ),
});
