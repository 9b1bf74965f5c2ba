'use client';

import { useCallback } from 'react';
import type { useEventFilter } from '@/lib/filters/use-event-filter';
import { useTimeline, type TimelineStack } from '@/lib/queries/stats';
import { Panel, PanelState } from '../ui/panel';
import { LazyChartTimeline } from './lazy-chart-timeline';

const widthLabel = (ms: number) =>
  ms >= 86_400_000
    ? `${ms / 86_400_000} d`
    : ms >= 3_600_000
      ? `${ms / 3_600_000} h`
      : ms >= 60_000
        ? `${ms / 60_000} min`
        : `${ms / 1000} s`;

/** A timeline of the current filter; dragging across it (or clicking a bar) zooms the range. */
export function TimelinePanel({
  state,
  stack = 'priority',
  title = 'Alerts over time',
  height,
}: {
  state: ReturnType<typeof useEventFilter>;
  stack?: TimelineStack;
  title?: string;
  height?: number;
}) {
  const { data, error, isPending } = useTimeline(state.query, stack);
  const { change } = state;
  // Stable, so that the (memoised) chart is not drawn again when only the page around it changes.
  const zoom = useCallback(
    (fromMs: number, toMs: number) =>
      change({ set: { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() } }),
    [change],
  );
  return (
    <Panel
      title={title}
      actions={
        data ? <span className="text-xs text-muted">{widthLabel(data.widthMs)} per bar · drag to zoom</span> : null
      }
    >
      <div className="px-3 py-3">
        {isPending ? (
          <PanelState kind="loading" />
        ) : error ? (
          <PanelState kind="error" message={`Could not load the timeline: ${error.message}`} />
        ) : data.buckets.every((bucket) => bucket.total === 0) ? (
          <PanelState kind="empty" message="No alerts in this range." />
        ) : (
          <LazyChartTimeline
            timeline={data}
            kind={stack === 'priority' ? 'priority' : 'category'}
            label={title}
            height={height}
            onZoom={zoom}
          />
        )}
      </div>
    </Panel>
  );
}
