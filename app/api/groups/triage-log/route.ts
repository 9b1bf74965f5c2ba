// GET: every change of triage status, oldest first, as CSV or NDJSON, streamed.
import { parseEnumParam } from '@/lib/api/parse-query';
import { downloadResponse } from '@/lib/api/download-response';
import { apiRoute, withApi } from '@/lib/api/with-api';
import { TRIAGE_LOG_FORMATS, triageLogChunks, type TriageLogFormat } from '@/lib/triage/triage-service';

const query = (params: URLSearchParams) => ({
  format: parseEnumParam(params, 'format', Object.keys(TRIAGE_LOG_FORMATS) as TriageLogFormat[], 'csv'),
});

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  GET: withApi(
    (_request, { query: { format } }) => {
      const chunks = triageLogChunks(format);
      return downloadResponse(chunks, { name: 'perch-triage-log', ...TRIAGE_LOG_FORMATS[format] });
    },
    { query },
  ),
});
