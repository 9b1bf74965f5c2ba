import { describe, expect, it } from 'vitest';
import { Histogram, LabeledCounter, renderMetrics } from './prometheus';

describe('renderMetrics', () => {
  it('writes HELP and TYPE before the samples of each family and ends with a newline', () => {
    const text = renderMetrics([
      { name: 'perch_up', help: 'Whether it runs.', type: 'gauge', samples: [{ value: 1 }] },
      { name: 'perch_things_total', help: 'Things.', type: 'counter', samples: [{ labels: { kind: 'a' }, value: 2 }, { labels: { kind: 'b' }, value: 0.5 }] },
    ]);
    expect(text).toBe(
      [
        '# HELP perch_up Whether it runs.',
        '# TYPE perch_up gauge',
        'perch_up 1',
        '# HELP perch_things_total Things.',
        '# TYPE perch_things_total counter',
        'perch_things_total{kind="a"} 2',
        'perch_things_total{kind="b"} 0.5',
        '',
      ].join('\n'),
    );
  });

  it('escapes backslashes, quotes and newlines in label values and help text', () => {
    const text = renderMetrics([
      { name: 'm', help: 'a\\b\nc', type: 'gauge', samples: [{ labels: { v: 'x"y\\z\nw' }, value: 1 }] },
    ]);
    expect(text).toContain('# HELP m a\\\\b\\nc\n');
    expect(text).toContain('m{v="x\\"y\\\\z\\nw"} 1\n');
  });

  it('writes infinities and NaN as the format spells them', () => {
    const text = renderMetrics([{ name: 'm', help: 'h', type: 'gauge', samples: [{ value: Infinity }, { value: -Infinity }, { value: NaN }] }]);
    expect(text.split('\n').slice(2, 5)).toEqual(['m +Inf', 'm -Inf', 'm NaN']);
  });

  it('lists a family with no samples yet by its HELP and TYPE only', () => {
    expect(renderMetrics([{ name: 'm_total', help: 'h', type: 'counter', samples: [] }])).toBe('# HELP m_total h\n# TYPE m_total counter\n');
  });
});

describe('LabeledCounter', () => {
  it('keeps one series per label set, in first-seen order', () => {
    const counter = new LabeledCounter();
    counter.add({ source: 'syscall', priority: 'Warning' });
    counter.add({ source: 'k8s_audit', priority: 'Notice' }, 3);
    counter.add({ source: 'syscall', priority: 'Warning' }, 2);
    expect(counter.samples()).toEqual([
      { labels: { source: 'syscall', priority: 'Warning' }, value: 3 },
      { labels: { source: 'k8s_audit', priority: 'Notice' }, value: 3 },
    ]);
  });
});

describe('Histogram', () => {
  it('renders cumulative buckets, +Inf, sum and count', () => {
    const histogram = new Histogram([0.1, 1]);
    for (const value of [0.05, 0.1, 0.5, 2]) histogram.observe(value);
    const text = renderMetrics([{ name: 'd_seconds', help: 'h', type: 'histogram', samples: histogram.samples() }]);
    expect(text.split('\n').slice(2)).toEqual([
      'd_seconds_bucket{le="0.1"} 2',
      'd_seconds_bucket{le="1"} 3',
      'd_seconds_bucket{le="+Inf"} 4',
      'd_seconds_sum 2.65',
      'd_seconds_count 4',
      '',
    ]);
  });

  it('adds the labels of its series to every sample, le last', () => {
    const histogram = new Histogram([1]);
    histogram.observe(3);
    const text = renderMetrics([{ name: 'd_seconds', help: 'h', type: 'histogram', samples: histogram.samples({ outcome: 'refused' }) }]);
    expect(text.split('\n').slice(2, 6)).toEqual([
      'd_seconds_bucket{outcome="refused",le="1"} 0',
      'd_seconds_bucket{outcome="refused",le="+Inf"} 1',
      'd_seconds_sum{outcome="refused"} 3',
      'd_seconds_count{outcome="refused"} 1',
    ]);
  });

  it('puts a value on a bound into that bound\'s bucket', () => {
    const histogram = new Histogram([1]);
    histogram.observe(1);
    expect(histogram.samples()[0]).toEqual({ suffix: '_bucket', labels: { le: '1' }, value: 1 });
  });
});
