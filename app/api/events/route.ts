// GET: list alerts (filters, keyset pages). POST/PUT: ingest (Falco http_output, falcosidekick webhook).
import { parseEventQuery } from '@/lib/api/parse-query';
import { jsonResponse, jsonTextResponse, methodNotAllowed, withApi } from '@/lib/api/with-api';
import { readJson } from '@/lib/db/read-pool';
import { ingestRequest } from '@/lib/ingest/ingest';

export const GET = withApi(async (request) => {
  const { filter, page } = parseEventQuery(request);
  return jsonTextResponse(await readJson('events', filter, page, Date.now()));
});

export const POST = withApi(async (request) => jsonResponse(await ingestRequest(request)));
export const PUT = POST;
export const DELETE = methodNotAllowed(['GET', 'POST', 'PUT']);
export const PATCH = DELETE;
