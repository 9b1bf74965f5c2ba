import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { IngestMetrics } from './ingest-metrics';
import { processRegistry, PROMETHEUS_CONTENT_TYPE, renderRegistries } from './prometheus';

describe('renderRegistries', () => {
  it('writes HELP and TYPE before the samples of each family, no blank lines, ending with a newline', async () => {
    const first = new Registry();
    new Gauge({ name: 'perch_up', help: 'Whether it runs.', registers: [first] }).set(1);
    const things = new Counter({
      name: 'perch_things_total',
      help: 'Things.',
      labelNames: ['kind'],
      registers: [first],
    });
    things.inc({ kind: 'a' }, 2);
    things.inc({ kind: 'b' }, 0.5);
    const second = new Registry();
    new Gauge({ name: 'perch_other', help: 'Other.', registers: [second] }).set(3);
    expect(await renderRegistries([first, second])).toBe(
      [
        '# HELP perch_up Whether it runs.',
        '# TYPE perch_up gauge',
        'perch_up 1',
        '# HELP perch_things_total Things.',
        '# TYPE perch_things_total counter',
        'perch_things_total{kind="a"} 2',
        'perch_things_total{kind="b"} 0.5',
        '# HELP perch_other Other.',
        '# TYPE perch_other gauge',
        'perch_other 3',
        '',
      ].join('\n'),
    );
  });

  it('escapes backslashes, quotes and newlines in label values and help text', async () => {
    const registry = new Registry();
    new Gauge({ name: 'm', help: 'a\\b\nc', labelNames: ['v'], registers: [registry] }).set({ v: 'x"y\\z\nw' }, 1);
    const text = await renderRegistries([registry]);
    expect(text).toContain('# HELP m a\\\\b\\nc\n');
    expect(text).toContain('m{v="x\\"y\\\\z\\nw"} 1\n');
  });

  it('renders cumulative buckets, +Inf, sum and count, the series labels first and le last', async () => {
    const registry = new Registry();
    const histogram = new Histogram({
      name: 'd_seconds',
      help: 'h',
      labelNames: ['outcome'],
      buckets: [0.1, 1],
      registers: [registry],
    });
    for (const value of [0.05, 0.1, 0.5, 2]) histogram.observe({ outcome: 'stored' }, value);
    expect((await renderRegistries([registry])).split('\n').slice(2)).toEqual([
      'd_seconds_bucket{le="0.1",outcome="stored"} 2',
      'd_seconds_bucket{le="1",outcome="stored"} 3',
      'd_seconds_bucket{le="+Inf",outcome="stored"} 4',
      'd_seconds_sum{outcome="stored"} 2.65',
      'd_seconds_count{outcome="stored"} 4',
      '',
    ]);
  });
});

describe("Perch's registries", () => {
  it('serve the content type Prometheus expects', () => {
    expect(PROMETHEUS_CONTENT_TYPE).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('give the process metrics the README documents, registered once however often asked', async () => {
    expect(processRegistry()).toBe(processRegistry());
    const text = await renderRegistries([processRegistry()]);
    for (const name of ['process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'process_start_time_seconds']) {
      expect(text).toContain(`# TYPE ${name} gauge\n`);
      expect(Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1])).toBeGreaterThan(0);
    }
  });

  it('lets two sets of ingest counters live side by side (a dev reload, a second bundle)', async () => {
    const a = new IngestMetrics();
    const b = new IngestMetrics();
    a.countFailure('invalid_json');
    expect(await a.registry.metrics()).toContain('perch_ingest_rejected_total{reason="invalid_json"} 1\n');
    expect(await b.registry.metrics()).toContain('perch_ingest_rejected_total{reason="invalid_json"} 0\n');
  });

  it('show every ingest duration outcome from the start, at 0', async () => {
    const text = await new IngestMetrics().registry.metrics();
    for (const outcome of ['stored', 'rejected', 'refused'])
      expect(text).toContain(`perch_ingest_duration_seconds_count{outcome="${outcome}"} 0\n`);
  });
});
