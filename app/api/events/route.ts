// GET: list alerts (filters, keyset pages). POST/PUT: ingest (Falco http_output, falcosidekick webhook).
import { QUERIES } from '@/lib/api/parse-query';
import { apiRoute, jsonResponse, jsonTextResponse, withApi } from '@/lib/api/with-api';
import { readJson } from '@/lib/db/read-pool';
import { ingestRequest } from '@/lib/ingest/ingest';

const ingest = withApi(async (request) => jsonResponse(await ingestRequest(request)));

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  GET: withApi(
    async (_request, { query }) => jsonTextResponse(await readJson('events', query.filter, query.page, Date.now())),
    { query: QUERIES.events },
  ),
  POST: ingest,
  PUT: ingest,
});
