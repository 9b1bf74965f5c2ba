// GET: the ancestry chains of the filter's newest alerts merged into one tree per container or host.
import { parseEventQuery, parseIntParam } from '@/lib/api/parse-query';
import { jsonResponse, withApi } from '@/lib/api/with-api';
import { getDb } from '@/lib/db/connection';
import { processTree, TREE_SAMPLE_ALERTS } from '@/lib/db/stats-queries';

export const GET = withApi((request) => {
  const { filter } = parseEventQuery(request);
  const chains = parseIntParam(request, 'chains', 1, 20_000, 5_000);
  const alerts = parseIntParam(request, 'alerts', 1, 200_000, TREE_SAMPLE_ALERTS);
  return jsonResponse(processTree(getDb(), filter, chains, Date.now(), alerts));
});
