// POST { rule, fields, comps, values, from?, to? }: what the exception would silence among its rule's stored alerts.
import { apiRoute, jsonResponse, withApi } from '@/lib/api/with-api';
import { getConfig } from '@/lib/config';
import { DomainError } from '@/lib/errors';
import { readBodyText } from '@/lib/ingest/read-body';
import { exceptionPreview } from '@/lib/triage/preview';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  POST: withApi(
    async (request) => {
      const text = await readBodyText(request, getConfig().maxBodyBytes);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new DomainError('invalid_json', 'Send {"rule": …, "fields": [ … ], "values": [ … ]} as JSON.');
      }
      // Reads only: a view token may preview.
      return jsonResponse(await exceptionPreview(body));
    },
    { access: 'read' },
  ),
});
