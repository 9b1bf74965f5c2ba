// GET: alerts related to one alert: same container or host within ±10 min, same process chain, same rule elsewhere.
import { parseIdOrThrow } from '@/lib/api/parse-query';
import { jsonTextResponse, withApi } from '@/lib/api/with-api';
import { readJson } from '@/lib/db/read-pool';

export const GET = withApi<{ params: Promise<{ id: string }> }>(async (_request, { params }) => {
  return jsonTextResponse(await readJson('related', parseIdOrThrow((await params).id)));
});
