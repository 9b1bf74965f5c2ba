// GET: every rule that fired for the filter (worst priority, count, trend, first/last seen, containers, hosts) and the trend's buckets.
import { parseEventQuery } from '@/lib/api/parse-query';
import { jsonResponse, withApi } from '@/lib/api/with-api';
import { getDb } from '@/lib/db/connection';
import { ruleRows } from '@/lib/db/stats-queries';

export const GET = withApi((request) => jsonResponse(ruleRows(getDb(), parseEventQuery(request).filter)));
