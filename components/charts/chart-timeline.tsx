'use client';

import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { seriesColor } from '@/lib/stats/series-colors';
import type { Timeline } from '@/lib/stats/types';

const DAY = 86_400_000;

function tickFormatter(widthMs: number, spanMs: number) {
  const withDate = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
  const dateOnly = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
  const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hour12: false });
  return (ms: number) => (widthMs >= DAY ? dateOnly : spanMs > DAY ? withDate : timeOnly).format(new Date(ms));
}

const fullTime = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

/**
 * Alerts over time, stacked. Drag across it to zoom into that span; click a bar to zoom into its
 * bucket. Series keys are positional (`s0`, `s1`) because rule names may contain dots.
 */
export function ChartTimeline({
  timeline,
  kind,
  height = 200,
  onZoom,
  label,
  fontSize = 11,
  yAxisWidth = 44,
}: {
  timeline: Timeline;
  kind: 'priority' | 'category';
  /** Pixels, or `fill` to take the parent's height (the legend included). */
  height?: number | 'fill';
  /** Axis labels: 11 px on the dashboard, larger on a wall screen. */
  fontSize?: number;
  yAxisWidth?: number;
  onZoom?: (fromMs: number, toMs: number) => void;
  label: string;
}) {
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const [dragTo, setDragTo] = useState<number | null>(null);
  const data = timeline.buckets.map((bucket) => {
    const row: Record<string, number> = { start: bucket.start };
    timeline.series.forEach((name, i) => (row[`s${i}`] = bucket.counts[name] ?? 0));
    return row;
  });
  // A CSS height means "fill the parent": the chart takes what the legend leaves.
  const fill = typeof height === 'string';
  const format = tickFormatter(timeline.widthMs, timeline.to - timeline.from);
  const total = timeline.buckets.reduce((sum, b) => sum + b.total, 0);
  // The legend names only what the chart shows.
  const seriesTotals = Object.fromEntries(timeline.series.map((name) => [name, timeline.buckets.reduce((sum, b) => sum + (b.counts[name] ?? 0), 0)]));

  const finishDrag = () => {
    if (dragFrom !== null && onZoom) {
      const end = dragTo ?? dragFrom;
      const lo = Math.min(dragFrom, end);
      const hi = Math.max(dragFrom, end) + timeline.widthMs;
      onZoom(lo, hi);
    }
    setDragFrom(null);
    setDragTo(null);
  };

  return (
    <figure aria-label={`${label}: ${total.toLocaleString()} alerts`} data-testid="timeline" data-total={total} className={`select-none ${fill ? 'flex h-full flex-col' : ''}`}>
      <div style={fill ? undefined : { height }} className={`${fill ? 'min-h-0 flex-1' : ''} ${onZoom ? 'cursor-crosshair' : ''}`}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart
            data={data}
            margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
            barCategoryGap={1}
            onMouseDown={(state) => {
              if (state?.activeLabel !== undefined) setDragFrom(Number(state.activeLabel));
            }}
            onMouseMove={(state) => {
              if (dragFrom !== null && state?.activeLabel !== undefined) setDragTo(Number(state.activeLabel));
            }}
            onMouseUp={finishDrag}
            onMouseLeave={() => {
              setDragFrom(null);
              setDragTo(null);
            }}
          >
            <CartesianGrid vertical={false} stroke="var(--border)" strokeDasharray="2 4" />
            <XAxis dataKey="start" tickFormatter={format} stroke="var(--muted)" fontSize={fontSize} tickLine={false} minTickGap={fontSize * 4} />
            <YAxis allowDecimals={false} stroke="var(--muted)" fontSize={fontSize} tickLine={false} axisLine={false} width={yAxisWidth} />
            <Tooltip
              cursor={{ fill: 'var(--surface-2)' }}
              contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', borderRadius: 6, fontSize: 12, color: 'var(--fg)' }}
              labelFormatter={(value) => `${fullTime.format(new Date(Number(value)))} (+${Math.round(timeline.widthMs / 60_000) || '<1'} min)`}
              formatter={(value, key) => {
                const name = timeline.series[Number(String(key).slice(1))] ?? String(key);
                return [Number(value).toLocaleString(), timeline.labels[name] ?? name];
              }}
            />
            {timeline.series.map((name, i) => (
              <Bar key={name} dataKey={`s${i}`} name={name} stackId="a" fill={seriesColor(name, i, kind)} isAnimationActive={false} />
            ))}
            {dragFrom !== null && dragTo !== null && (
              <ReferenceArea x1={Math.min(dragFrom, dragTo)} x2={Math.max(dragFrom, dragTo)} fill="var(--accent)" fillOpacity={0.15} />
            )}
          </BarChart>
        </ResponsiveContainer>
      </div>
      {kind === 'category' || timeline.series.length > 1 ? (
        <figcaption className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-muted">
          {timeline.series.map((name, i) => ({ name, i })).filter(({ name }) => seriesTotals[name]! > 0).map(({ name, i }) => (
            <span key={name} className="flex min-w-0 max-w-64 items-center gap-1.5">
              <span aria-hidden className="inline-block h-2.5 w-2.5 shrink-0 rounded-sm" style={{ background: seriesColor(name, i, kind) }} />
              <span className="alert-text truncate" title={timeline.labels[name] ?? name}>{timeline.labels[name] ?? name}</span>
            </span>
          ))}
        </figcaption>
      ) : null}
    </figure>
  );
}
