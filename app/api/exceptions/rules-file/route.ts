// POST { exceptions: [...] }: a Falco rules file appending each exception to its rule (application/yaml).
import { requireViewer } from '@/lib/access/require-viewer';
import { withApi, apiRoute } from '@/lib/api/with-api';
import { getConfig } from '@/lib/config';
import { DomainError } from '@/lib/errors';
import { readBodyText } from '@/lib/ingest/read-body';
import { exceptionRulesFile } from '@/lib/triage/exception-files';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  POST: withApi(
    async (request) => {
      const viewer = requireViewer(request);
      const text = await readBodyText(request, getConfig().maxBodyBytes);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new DomainError('invalid_json', 'Send {"exceptions": [ … ]} as JSON.');
      }
      const who = viewer.kind === 'anyone' ? 'anonymous' : viewer.name;
      return new Response(exceptionRulesFile(body, who), {
        headers: {
          'content-type': 'application/yaml; charset=utf-8',
          'content-disposition': 'attachment; filename="perch-exceptions.yaml"',
        },
      });
    },
    { access: 'read' },
  ),
});
