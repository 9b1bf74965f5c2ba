// GET: Prometheus metrics (text format 0.0.4): ingest counters and latency, store size, live streams, retention.
import { methodNotAllowed, withApi } from '@/lib/api/with-api';
import { collectMetrics } from '@/lib/metrics/collect';
import { PROMETHEUS_CONTENT_TYPE } from '@/lib/metrics/prometheus';

export const GET = withApi(
  () => new Response(collectMetrics(), { headers: { 'content-type': PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' } }),
);
export const POST = methodNotAllowed(['GET']);
