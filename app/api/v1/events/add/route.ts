// POST: falcosidekick-ui drop-in; takes the falcosidekick `webui` envelope or a bare alert.
// `POST /` and `POST /api/v1/` are rewritten here by proxy.ts.
import { jsonResponse, methodNotAllowed, withApi } from '@/lib/api/with-api';
import { ingestRequest } from '@/lib/ingest/ingest';

export const POST = withApi(async (request) => jsonResponse(await ingestRequest(request)));
export const PUT = POST;
export const GET = methodNotAllowed(['POST', 'PUT']);
