// GET: a group's triage status and every change of it, newest first, with its key fields.
import { apiRoute, jsonResponse, withApi } from '@/lib/api/with-api';
import { historyOf } from '@/lib/triage/triage-service';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  GET: withApi((_request, { params }) => jsonResponse(historyOf(params.key ?? ''))),
});
