// GET: Prometheus metrics (text format 0.0.4): ingest counters and latency, store size, live streams, retention.
import { createHash, timingSafeEqual } from 'node:crypto';
import { requireViewer } from '@/lib/access/require-viewer';
import { apiRoute, withApi } from '@/lib/api/with-api';
import { getConfig } from '@/lib/config';
import { collectMetrics } from '@/lib/metrics/collect';
import { PROMETHEUS_CONTENT_TYPE } from '@/lib/metrics/prometheus';

const digest = (text: string) => createHash('sha256').update(text).digest();

// Prometheus can carry PERCH_METRICS_TOKEN, a credential that reads nothing but these counters.
function hasMetricsToken(request: Request): boolean {
  const token = getConfig().metricsToken;
  const given = /^bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
  return token !== null && given !== undefined && timingSafeEqual(digest(given), digest(token));
}

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  GET: withApi(
    async (request) => {
      if (!hasMetricsToken(request)) requireViewer(request);
      return new Response(await collectMetrics(), {
        headers: { 'content-type': PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' },
      });
    },
    { access: 'public' },
  ),
});
