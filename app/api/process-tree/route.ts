// GET: the ancestry chains of the filter's newest alerts merged into one tree per container or host.
import { filterQuery, parseIntParam } from '@/lib/api/parse-query';
import { apiRoute, jsonTextResponse, withApi } from '@/lib/api/with-api';
import { readJson } from '@/lib/db/read-pool';
import { TREE_SAMPLE_ALERTS } from '@/lib/db/process-tree';

const query = filterQuery((params) => ({
  chains: parseIntParam(params, 'chains', 1, 20_000, 5_000),
  alerts: parseIntParam(params, 'alerts', 1, 200_000, TREE_SAMPLE_ALERTS),
}));

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  GET: withApi(
    async (_request, { query: { filter, chains, alerts } }) =>
      jsonTextResponse(await readJson('processTree', filter, chains, alerts)),
    { query },
  ),
});
