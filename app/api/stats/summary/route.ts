// GET: detections per priority for the filter's range, the previous range of the same length, and
// how many Falco health events fell in it.
import { parseEventQuery } from '@/lib/api/parse-query';
import { jsonTextResponse, withApi } from '@/lib/api/with-api';
import { readJson } from '@/lib/db/read-pool';

export const GET = withApi(async (request) => jsonTextResponse(await readJson('summary', parseEventQuery(request).filter)));
