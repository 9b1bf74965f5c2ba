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

describe('IngestMetrics', () => {
  it('shows every rejection and refusal reason from the start, at 0', () => {
    const metrics = new IngestMetrics();
    expect(metrics.refused.samples()).toEqual([
      { labels: { reason: 'ingest_overloaded' }, value: 0 },
      { labels: { reason: 'store_unavailable' }, value: 0 },
      { labels: { reason: 'internal' }, value: 0 },
    ]);
    expect(metrics.rejected.samples()).toEqual(
      ['empty_body', 'invalid_json', 'invalid_alert', 'payload_too_large', 'unauthorized', 'cross_site_request'].map((reason) => ({ labels: { reason }, value: 0 })),
    );
  });

  it('counts a 4xx as rejected and a 5xx as refused', () => {
    const metrics = new IngestMetrics();
    metrics.countFailure('invalid_json');
    metrics.countFailure('ingest_overloaded');
    metrics.countFailure('ingest_overloaded');
    expect(metrics.rejected.samples()).toContainEqual({ labels: { reason: 'invalid_json' }, value: 1 });
    expect(metrics.refused.samples()).toContainEqual({ labels: { reason: 'ingest_overloaded' }, value: 2 });
  });

  it('keeps the number of source label values bounded whatever senders write', () => {
    const metrics = new IngestMetrics();
    const alerts = Array.from({ length: 1_000 }, (_, i) => ({ source: `made-up-${i}`, priority: 'Warning' }));
    metrics.countAlerts(metrics.received, [...alerts, { source: 'syscall', priority: 'Critical' }]);
    expect(metrics.received.samples()).toEqual([
      { labels: { source: 'other', priority: 'Warning' }, value: 1_000 },
      { labels: { source: 'syscall', priority: 'Critical' }, value: 1 },
    ]);
  });
});
