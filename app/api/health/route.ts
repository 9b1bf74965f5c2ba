// GET: store reachable, event count, newest event time, version. Open to anyone (load balancers
// and probes); the counts only for those who may read alerts.
import { viewerOf } from '@/lib/access/require-viewer';
import { apiRoute, jsonResponse, withApi } from '@/lib/api/with-api';
import { storeHealth } from '@/lib/events/store';
import packageJson from '@/package.json';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  GET: withApi(
    (request) => {
      // Opens the store (a 500 when it cannot be opened); a probe may ask every second, so it reads nothing.
      const report = storeHealth(packageJson.version, viewerOf(request) !== null);
      return jsonResponse(report ?? { status: 'ok', version: packageJson.version });
    },
    { access: 'public' },
  ),
});
