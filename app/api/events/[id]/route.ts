// GET: one alert with everything, its ancestry chain and its raw JSON.
import { parseIdOrThrow } from '@/lib/api/parse-query';
import { apiRoute, jsonTextResponse, withApi } from '@/lib/api/with-api';
import { readJson } from '@/lib/db/read-pool';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  GET: withApi(async (_request, { params }) =>
    jsonTextResponse(await readJson('event', parseIdOrThrow(params.id ?? ''))),
  ),
});
