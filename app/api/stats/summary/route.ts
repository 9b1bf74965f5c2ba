// GET: detections per priority for the filter's range, the previous range of the same length, and
// how many Falco health events fell in it.
import { parseEventQuery } from '@/lib/api/parse-query';
import { jsonResponse, withApi } from '@/lib/api/with-api';
import { getDb } from '@/lib/db/connection';
import { rangeSummary } from '@/lib/db/stats-queries';

export const GET = withApi((request) => jsonResponse(rangeSummary(getDb(), parseEventQuery(request).filter)));
