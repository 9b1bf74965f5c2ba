// GET: Server-Sent Events of newly committed alerts, with the filters of GET /api/events.
import { QUERIES } from '@/lib/api/parse-query';
import { streamResponse } from '@/lib/api/stream-response';
import { apiRoute, withApi } from '@/lib/api/with-api';

export const dynamic = 'force-dynamic';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  GET: withApi((request, { query }) => streamResponse(request, query.filter, query.after), { query: QUERIES.stream }),
});
