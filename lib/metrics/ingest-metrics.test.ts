import { describe, expect, it } from 'vitest';
import { IngestMetrics, sourceLabel } from './ingest-metrics';

describe('sourceLabel', () => {
  it("keeps Falco's sources, names a missing one and folds the rest into `other`", () => {
    expect(sourceLabel('syscall')).toBe('syscall');
    expect(sourceLabel('k8s_audit')).toBe('k8s_audit');
    expect(sourceLabel(null)).toBe('none');
    expect(sourceLabel('')).toBe('none');
    expect(sourceLabel('attacker-chosen-1')).toBe('other');
    expect(sourceLabel('__proto__')).toBe('other');
  });
});

/** The samples of one counter, as { labels, value }. */
async function samples(counter: IngestMetrics['received'] | IngestMetrics['rejected']) {
  return (await counter.get()).values.map(({ labels, value }) => ({ labels, value }));
}

describe('IngestMetrics', () => {
  it('shows every rejection and refusal reason from the start, at 0', async () => {
    const metrics = new IngestMetrics();
    expect(await samples(metrics.refused)).toEqual([
      { labels: { reason: 'ingest_overloaded' }, value: 0 },
      { labels: { reason: 'store_unavailable' }, value: 0 },
      { labels: { reason: 'internal' }, value: 0 },
    ]);
    expect(await samples(metrics.rejected)).toEqual(
      ['empty_body', 'invalid_json', 'invalid_alert', 'payload_too_large', 'unauthorized', 'cross_site_request'].map(
        (reason) => ({ labels: { reason }, value: 0 }),
      ),
    );
  });

  it('counts a 4xx as rejected and a 5xx as refused', async () => {
    const metrics = new IngestMetrics();
    metrics.countFailure('invalid_json');
    metrics.countFailure('ingest_overloaded');
    metrics.countFailure('ingest_overloaded');
    expect(await samples(metrics.rejected)).toContainEqual({ labels: { reason: 'invalid_json' }, value: 1 });
    expect(await samples(metrics.refused)).toContainEqual({ labels: { reason: 'ingest_overloaded' }, value: 2 });
  });

  it('keeps the number of source label values bounded whatever senders write', async () => {
    const metrics = new IngestMetrics();
    const alerts = Array.from({ length: 1_000 }, (_, i) => ({ source: `made-up-${i}`, priority: 'Warning' }));
    metrics.countAlerts(metrics.received, [...alerts, { source: 'syscall', priority: 'Critical' }]);
    expect(await samples(metrics.received)).toEqual([
      { labels: { source: 'other', priority: 'Warning' }, value: 1_000 },
      { labels: { source: 'syscall', priority: 'Critical' }, value: 1 },
    ]);
  });

  it('renders the counters raised with += as counters', async () => {
    const metrics = new IngestMetrics();
    metrics.partialEntriesRejected += 2;
    metrics.workerPreparedEntries += 300;
    metrics.streamedPreparedEntries += 310;
    metrics.retentionDeleted += 4;
    metrics.clockSkewedAlerts += 1;
    expect(metrics.workerPreparedEntries).toBe(300);
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      '# TYPE perch_ingest_partial_entries_rejected_total counter\nperch_ingest_partial_entries_rejected_total 2\n',
    );
    expect(text).toContain('\nperch_ingest_worker_entries_total 300\n');
    expect(text).toContain('\nperch_ingest_streamed_entries_total 310\n');
    expect(text).toContain('\nperch_retention_deleted_total 4\n');
    expect(text).toContain('\nperch_alerts_clock_skewed_total 1\n');
  });
});
