// GET: every rule that fired for the filter (worst priority, count, trend, first/last seen, containers, hosts) and the trend's buckets.
import { parseEventQuery } from '@/lib/api/parse-query';
import { jsonTextResponse, withApi } from '@/lib/api/with-api';
import { readJson } from '@/lib/db/read-pool';

export const GET = withApi(async (request) => jsonTextResponse(await readJson('rules', parseEventQuery(request).filter)));
