// POST { groups, status, note?, exception? }: sets the triage status of groups, kept in their history.
import { requireViewer } from '@/lib/access/require-viewer';
import { apiRoute, jsonResponse, withApi } from '@/lib/api/with-api';
import { getConfig } from '@/lib/config';
import { DomainError } from '@/lib/errors';
import { readBodyText } from '@/lib/ingest/read-body';
import { changedBy, parseTriageChange, setStatuses } from '@/lib/triage/triage-service';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  POST: withApi(
    async (request) => {
      const who = changedBy(requireViewer(request), (name) => request.headers.get(name));
      const text = await readBodyText(request, getConfig().maxBodyBytes);
      if (text.trim() === '') throw new DomainError('empty_body', 'Send {"groups": [ … ], "status": "…"} as JSON.');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new DomainError('invalid_json', 'Send {"groups": [ … ], "status": "…"} as JSON.');
      }
      return jsonResponse(setStatuses(parseTriageChange(body), who));
    },
    { access: 'read' },
  ),
});
