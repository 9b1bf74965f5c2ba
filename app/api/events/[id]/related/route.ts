// GET: alerts related to one alert: same container or host within ±10 min, same process chain, same rule elsewhere.
import { parseIdOrThrow } from '@/lib/api/parse-query';
import { apiRoute, jsonTextResponse, withApi } from '@/lib/api/with-api';
import { readJson } from '@/lib/db/read-pool';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  GET: withApi(async (_request, { params }) =>
    jsonTextResponse(await readJson('related', parseIdOrThrow(params.id ?? ''))),
  ),
});
