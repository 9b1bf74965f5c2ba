// GET: Server-Sent Events of newly committed alerts, with the filters of GET /api/events.
import { methodNotAllowed, withApi } from '@/lib/api/with-api';
import { streamResponse } from '@/lib/live/stream-response';

export const dynamic = 'force-dynamic';

export const GET = withApi((request) => streamResponse(request));
export const POST = methodNotAllowed(['GET']);
export const PUT = POST;
export const DELETE = POST;
export const PATCH = POST;
