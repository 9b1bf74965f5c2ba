// GET: alert counts per priority for the filter (same parameters as /api/events).
import { parseEventQuery } from '@/lib/api/parse-query';
import { jsonTextResponse, withApi } from '@/lib/api/with-api';
import { readJson } from '@/lib/db/read-pool';

export const GET = withApi(async (request) => jsonTextResponse(await readJson('priorities', parseEventQuery(request).filter)));
