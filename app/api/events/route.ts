// GET: list alerts (filters, keyset pages). POST/PUT: ingest (Falco http_output, falcosidekick webhook).
import { parseEventQuery } from '@/lib/api/parse-query';
import { jsonResponse, methodNotAllowed, withApi } from '@/lib/api/with-api';
import { getDb } from '@/lib/db/connection';
import { listEvents } from '@/lib/db/event-queries';
import { ingestRequest } from '@/lib/ingest/ingest';

export const GET = withApi((request) => {
  const { filter, page } = parseEventQuery(request);
  return jsonResponse(listEvents(getDb(), filter, page));
});

export const POST = withApi(async (request) => jsonResponse(await ingestRequest(request)));
export const PUT = POST;
export const DELETE = methodNotAllowed(['GET', 'POST', 'PUT']);
export const PATCH = DELETE;
