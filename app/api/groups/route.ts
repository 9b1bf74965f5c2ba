// GET: the triage groups of the filter's alerts (groupBy, sort, status, keyset pages), each with its counts, trend and status.
import { QUERIES } from '@/lib/api/parse-query';
import { apiRoute, jsonTextResponse, withApi } from '@/lib/api/with-api';
import { readJson } from '@/lib/db/read-pool';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  GET: withApi(
    async (_request, { query }) => jsonTextResponse(await readJson('groups', query.filter, query.groups, Date.now())),
    { query: QUERIES.groups },
  ),
});
