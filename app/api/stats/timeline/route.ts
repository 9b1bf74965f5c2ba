// GET: alert counts per time bucket (sized to the range on the server), stacked by priority, rule or container.
import { QUERIES } from '@/lib/api/parse-query';
import { apiRoute, jsonTextResponse, withApi } from '@/lib/api/with-api';
import { readJson } from '@/lib/db/read-pool';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  GET: withApi(
    async (_request, { query }) =>
      jsonTextResponse(await readJson('timeline', query.filter, query.stack, query.series)),
    { query: QUERIES.timeline },
  ),
});
