// GET: the ancestry chains of the filter's newest alerts merged into one tree per container or host.
import { parseEventQuery, parseIntParam } from '@/lib/api/parse-query';
import { jsonTextResponse, withApi } from '@/lib/api/with-api';
import { readJson } from '@/lib/db/read-pool';
import { TREE_SAMPLE_ALERTS } from '@/lib/db/stats-queries';

export const GET = withApi(async (request) => {
  const { filter } = parseEventQuery(request);
  const chains = parseIntParam(request, 'chains', 1, 20_000, 5_000);
  const alerts = parseIntParam(request, 'alerts', 1, 200_000, TREE_SAMPLE_ALERTS);
  return jsonTextResponse(await readJson('processTree', filter, chains, alerts));
});
