// GET: every alert the filter selects as CSV, NDJSON (raw alerts, re-importable) or JSON, streamed, no cap.
import { filterQuery, parseEnumParam } from '@/lib/api/parse-query';
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
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await chunks.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(next.value));
        },
        async cancel() {
          await chunks.return(undefined);
        },
      });
      const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
      return new Response(body, {
        headers: {
          'content-type': EXPORT_FORMATS[format].contentType,
          'content-disposition': `attachment; filename="perch-alerts-${stamp}.${EXPORT_FORMATS[format].extension}"`,
          'cache-control': 'no-store',
        },
      });
    },
    { query },
  ),
});
