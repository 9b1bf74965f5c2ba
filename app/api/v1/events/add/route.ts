// POST: falcosidekick-ui drop-in; takes the falcosidekick `webui` envelope or a bare alert.
// `POST /` and `POST /api/v1/` are rewritten here by proxy.ts.
import { apiRoute, jsonResponse, withApi } from '@/lib/api/with-api';
import { ingestRequest } from '@/lib/ingest/ingest';

const ingest = withApi(async (request) => jsonResponse(await ingestRequest(request)));

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({ POST: ingest, PUT: ingest });
