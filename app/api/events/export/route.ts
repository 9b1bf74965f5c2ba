// GET: every alert the filter selects as CSV, NDJSON (raw alerts, re-importable) or JSON, streamed, no cap.
import { filterQuery, parseEnumParam } from '@/lib/api/parse-query';
import { downloadResponse } from '@/lib/api/download-response';
import { apiRoute, withApi } from '@/lib/api/with-api';
import { EXPORT_FORMATS, exportChunks, type ExportFormat } from '@/lib/db/export';
import { read } from '@/lib/db/read-pool';

const query = filterQuery((params) => ({
  format: parseEnumParam(params, 'format', Object.keys(EXPORT_FORMATS) as ExportFormat[], 'csv'),
}));

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  GET: withApi(
    (_request, { query: { filter, format } }) => {
      const nowMs = Date.now();
      const chunks = exportChunks(format, (cursor, started) =>
        read('exportPage', filter, format, cursor, started, nowMs),
      );
      return downloadResponse(chunks, { name: 'perch-alerts', ...EXPORT_FORMATS[format] });
    },
    { query },
  ),
});
