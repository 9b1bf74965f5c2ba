'use client';

import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { Bar, BarChart, type BarShapeProps, CartesianGrid, ReferenceArea, Tooltip, XAxis, YAxis } from 'recharts';
import { timelineTicks } from '@/lib/stats/buckets';
import { seriesColor } from '@/lib/stats/series-colors';
import type { Timeline } from '@/lib/stats/types';

const DAY = 86_400_000;

function tickFormatter(widthMs: number, spanMs: number) {
  const withDate = new Intl.DateTimeFormat(undefined, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
  const dateOnly = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
  const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hour12: false });
  return (ms: number) => (widthMs >= DAY ? dateOnly : spanMs > DAY ? withDate : timeOnly).format(new Date(ms));
}

const fullTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

type Drawn = { name: string; i: number; color: string };

/**
 * The size of an element's content box, from a ResizeObserver: zero until its first report, which
 * comes after the browser's own layout of the frame. (recharts' ResponsiveContainer asks the
 * element for its size as soon as it mounts, forcing a layout of the whole page at that moment.)
 */
function useBoxSize() {
  const ref = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (!entry) return;
      const width = Math.round(entry.contentRect.width);
      const height = Math.round(entry.contentRect.height);
      setSize((size) => (size.width === width && size.height === height ? size : { width, height }));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, size] as const;
}

type TickProps = { x?: number | string; y?: number | string; payload?: { value: number } };

/**
 * Axis labels as plain SVG text, in the axis' colour and the chart's size. recharts' own label
 * measures each of its words in the page before drawing (a forced layout each).
 */
function axisLabels(
  format: (value: number) => string,
  fontSize: number,
  anchor: 'middle' | 'end',
  rightEdge = Infinity,
) {
  // Where recharts puts its own: below the tick on the time axis, centred on it on the count axis.
  const dy = anchor === 'middle' ? '0.71em' : '0.355em';
  return function renderLabel({ x, y, payload }: TickProps) {
    if (payload === undefined) return <g />;
    const text = format(payload.value);
    // A time label that would run past the chart's right edge is left out rather than cut.
    if (anchor === 'middle' && Number(x) + labelWidth(text, fontSize) / 2 > rightEdge) return <g />;
    return (
      <text x={x} y={y} dy={dy} textAnchor={anchor} fill="var(--muted)" fontSize={fontSize}>
        {text}
      </text>
    );
  };
}

/** About how wide a label is drawn: the axes' digits and short month names average 0.6 em. */
const labelWidth = (text: string, fontSize: number) => text.length * fontSize * 0.62;

const noLines = () => [];

const formatCount = (value: number) => value.toLocaleString();

type Row = { start: number; total: number } & Record<string, number>;

/**
 * One bucket's column: its series stacked bottom-up in series order, each as tall as its share of
 * the bucket's total (recharts has sized the column to the total).
 */
function StackedColumn({
  x,
  y,
  width,
  height,
  payload,
  drawn,
}: {
  x: number;
  y: number;
  width: number;
  height: number;
  payload: Row;
  drawn: Drawn[];
}) {
  if (!(payload.total > 0) || !(height > 0) || !(width > 0)) return null;
  let bottom = y + height;
  return (
    <g>
      {drawn.map(({ name, i, color }) => {
        const count = payload[`s${i}`] ?? 0;
        if (count === 0) return null;
        const part = (height * count) / payload.total;
        bottom -= part;
        return <rect key={name} x={x} y={bottom} width={width} height={part} fill={color} />;
      })}
    </g>
  );
}

/** The hovered bucket: its time, its total, and each series in it, top of the stack first. */
function BucketTooltip({
  row,
  drawn,
  labels,
  widthMs,
}: {
  row: Row;
  drawn: Drawn[];
  labels: Record<string, string>;
  widthMs: number;
}) {
  const present = drawn.filter(({ i }) => (row[`s${i}`] ?? 0) > 0).reverse();
  return (
    <div className="rounded-md border border-border bg-surface px-2.5 py-1.5 text-xs text-fg shadow-sm">
      <p className="font-medium">
        {fullTime.format(new Date(row.start))} (+{Math.round(widthMs / 60_000) || '<1'} min)
      </p>
      <p className="text-muted">
        {row.total.toLocaleString()} alert{row.total === 1 ? '' : 's'}
      </p>
      {present.length > 0 && (
        <ul className="mt-1">
          {present.map(({ name, i, color }) => (
            <li key={name} className="flex items-center gap-1.5">
              <span aria-hidden className="inline-block h-2 w-2 shrink-0 rounded-sm" style={{ background: color }} />
              <span className="alert-text max-w-72 truncate">{labels[name] ?? name}</span>
              <span className="ml-auto pl-3 tabular-nums">{(row[`s${i}`] ?? 0).toLocaleString()}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * Alerts over time, stacked; drag to zoom into a span, click a bar for its bucket. Series keys are
 * positional because rule names may contain dots. One `<Bar>` draws each whole stack, and nothing asks
 * the page for a size while drawing, because drawing is a page's costliest work (docs/decisions/0010).
 */
export const ChartTimeline = memo(function ChartTimeline({
  timeline,
  kind,
  height = 200,
  onZoom,
  label,
  fontSize = 11,
  yAxisWidth: minYAxisWidth = 44,
}: {
  timeline: Timeline;
  kind: 'priority' | 'category';
  /** Pixels, or `fill` to take the parent's height (the legend included). */
  height?: number | 'fill';
  /** Axis labels: 11 px on the dashboard, larger on a wall screen. */
  fontSize?: number;
  /** The count axis's least width; it widens to fit its largest label. */
  yAxisWidth?: number;
  onZoom?: (fromMs: number, toMs: number) => void;
  label: string;
}) {
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const [dragTo, setDragTo] = useState<number | null>(null);
  // Only series with alerts are drawn and named in the legend; each keeps its position in
  // `timeline.series`, which its key and its colour come from.
  const { data, drawn, total } = useMemo(() => {
    const drawn: Drawn[] = timeline.series
      .map((name, i) => ({ name, i, color: seriesColor(name, i, kind) }))
      .filter(({ name }) => timeline.buckets.some((b) => (b.counts[name] ?? 0) > 0));
    const data = timeline.buckets.map((bucket) => {
      const row: Row = { start: bucket.start, total: bucket.total };
      for (const { name, i } of drawn) row[`s${i}`] = bucket.counts[name] ?? 0;
      return row;
    });
    return { data, drawn, total: timeline.buckets.reduce((sum, b) => sum + b.total, 0) };
  }, [timeline, kind]);
  // A CSS height means "fill the parent": the chart takes what the legend leaves.
  const fill = typeof height === 'string';
  const format = useMemo(() => tickFormatter(timeline.widthMs, timeline.to - timeline.from), [timeline]);
  const [boxRef, box] = useBoxSize();
  const timeLabel = useMemo(() => axisLabels(format, fontSize, 'middle', box.width), [format, fontSize, box.width]);
  const countLabel = useMemo(() => axisLabels(formatCount, fontSize, 'end'), [fontSize]);
  // The top tick can round the tallest bar up by a third (26,500 → 35,000 at worst).
  const yAxisWidth = useMemo(() => {
    const tallest = data.reduce((max, row) => Math.max(max, row.total), 0);
    return Math.max(minYAxisWidth, Math.ceil(labelWidth(formatCount(Math.ceil((tallest * 4) / 3)), fontSize)) + 10);
  }, [data, fontSize, minYAxisWidth]);
  // As many time labels as fit side by side; their width is computed, never read from the page.
  const ticks = useMemo(() => {
    const starts = data.map((row) => row.start);
    const spacing = labelWidth(format(starts[0] ?? 0), fontSize) + fontSize * 2;
    const fitting = Math.floor(Math.max(0, box.width - yAxisWidth - 8) / spacing);
    return timelineTicks(starts, timeline.widthMs, Math.max(2, Math.min(10, fitting)));
  }, [data, format, fontSize, box.width, yAxisWidth, timeline.widthMs]);

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
    <figure
      aria-label={`${label}: ${total.toLocaleString()} alerts`}
      data-testid="timeline"
      data-total={total}
      className={`select-none ${fill ? 'flex h-full flex-col' : ''}`}
    >
      <div
        ref={boxRef}
        style={fill ? undefined : { height }}
        className={`${fill ? 'min-h-0 flex-1' : ''} ${onZoom ? 'cursor-crosshair' : ''}`}
      >
        {box.width > 0 && box.height > 0 && (
          <BarChart
            width={box.width}
            height={box.height}
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
            {/* No vertical lines, so no positions for them: recharts would work them out, measuring every label. */}
            <CartesianGrid
              vertical={false}
              verticalCoordinatesGenerator={noLines}
              stroke="var(--border)"
              strokeDasharray="2 4"
            />
            <XAxis dataKey="start" ticks={ticks} interval={0} stroke="var(--muted)" tickLine={false} tick={timeLabel} />
            <YAxis
              allowDecimals={false}
              interval={0}
              stroke="var(--muted)"
              tickLine={false}
              axisLine={false}
              width={yAxisWidth}
              tick={countLabel}
            />
            <Tooltip
              cursor={{ fill: 'var(--surface-2)' }}
              isAnimationActive={false}
              content={({ active, payload }) => {
                const row = payload?.[0]?.payload as Row | undefined;
                return active && row ? (
                  <BucketTooltip row={row} drawn={drawn} labels={timeline.labels} widthMs={timeline.widthMs} />
                ) : null;
              }}
            />
            <Bar
              dataKey="total"
              name="Alerts"
              isAnimationActive={false}
              shape={(props: BarShapeProps) => (
                <StackedColumn {...props} payload={props.payload as Row} drawn={drawn} />
              )}
            />
            {dragFrom !== null && dragTo !== null && (
              <ReferenceArea
                x1={Math.min(dragFrom, dragTo)}
                x2={Math.max(dragFrom, dragTo)}
                fill="var(--accent)"
                fillOpacity={0.15}
              />
            )}
          </BarChart>
        )}
      </div>
      {kind === 'category' || timeline.series.length > 1 ? (
        <figcaption className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-muted">
          {drawn.map(({ name, color }) => (
            <span key={name} className="flex min-w-0 max-w-64 items-center gap-1.5">
              <span
                aria-hidden
                className="inline-block h-2.5 w-2.5 shrink-0 rounded-sm"
                style={{ background: color }}
              />
              <span className="alert-text truncate" title={timeline.labels[name] ?? name}>
                {timeline.labels[name] ?? name}
              </span>
            </span>
          ))}
        </figcaption>
      ) : null}
    </figure>
  );
});
