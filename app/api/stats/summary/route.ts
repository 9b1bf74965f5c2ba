// GET: detections per priority for the filter's range, the previous range of the same length, and
// how many Falco health events fell in it.
import { QUERIES } from '@/lib/api/parse-query';
import { apiRoute, jsonTextResponse, withApi } from '@/lib/api/with-api';
import { readJson } from '@/lib/db/read-pool';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  GET: withApi(async (_request, { query }) => jsonTextResponse(await readJson('summary', query.filter)), {
    query: QUERIES.filter,
  }),
});
