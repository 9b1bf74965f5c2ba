// GET: one alert with everything, its ancestry chain and its raw JSON.
import { parseIdOrThrow } from '@/lib/api/parse-query';
import { jsonTextResponse, methodNotAllowed, withApi } from '@/lib/api/with-api';
import { readJson } from '@/lib/db/read-pool';

export const GET = withApi<{ params: Promise<{ id: string }> }>(async (_request, { params }) => {
  const { id } = await params;
  return jsonTextResponse(await readJson('event', parseIdOrThrow(id)));
});

export const POST = methodNotAllowed(['GET']);
export const PUT = POST;
export const DELETE = POST;
export const PATCH = POST;
