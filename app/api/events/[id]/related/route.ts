// GET: alerts related to one alert: same container or host within ±10 min, same process chain, same rule elsewhere.
import { ApiError } from '@/lib/api/errors';
import { parseIdOrThrow } from '@/lib/api/parse-query';
import { jsonResponse, withApi } from '@/lib/api/with-api';
import { getDb } from '@/lib/db/connection';
import { relatedEvents } from '@/lib/db/stats-queries';

export const GET = withApi<{ params: Promise<{ id: string }> }>(async (_request, { params }) => {
  const id = parseIdOrThrow((await params).id);
  const related = relatedEvents(getDb(), id);
  if (!related) throw new ApiError('not_found', `There is no alert with id ${id}.`);
  return jsonResponse(related);
});
