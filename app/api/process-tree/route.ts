// GET: the ancestry chains of the filter's alerts merged into one tree per container or host.
import { parseEventQuery, parseIntParam } from '@/lib/api/parse-query';
import { jsonResponse, withApi } from '@/lib/api/with-api';
import { getDb } from '@/lib/db/connection';
import { processTree } from '@/lib/db/stats-queries';

export const GET = withApi((request) => {
  const { filter } = parseEventQuery(request);
  return jsonResponse(processTree(getDb(), filter, parseIntParam(request, 'chains', 1, 20_000, 5_000)));
});
