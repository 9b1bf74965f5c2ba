// GET: one alert with everything, its ancestry chain and its raw JSON.
import { parseIdOrThrow } from '@/lib/api/parse-query';
import { jsonResponse, methodNotAllowed, withApi } from '@/lib/api/with-api';
import { getDb } from '@/lib/db/connection';
import { getEventOrThrow } from '@/lib/db/event-queries';

export const GET = withApi<{ params: Promise<{ id: string }> }>(async (_request, { params }) => {
  const { id } = await params;
  return jsonResponse(getEventOrThrow(getDb(), parseIdOrThrow(id)));
});

export const POST = methodNotAllowed(['GET']);
export const PUT = POST;
export const DELETE = POST;
export const PATCH = POST;
