'use client';
// The SOC wall screen: everything at once on a big screen, or one panel at a time (`rotate=`).
// It runs for days untouched: the live stream keeps it current and reconnects by itself, the feed
// holds a bounded number of alerts, and the connection state is always on screen.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { type Dimension, PICKABLE_DIMENSIONS, valueLabel } from '@/lib/filters/dimensions';
import { withBasePath } from '@/lib/base-path';
import { KIOSK_PANELS, type KioskConfig, type KioskPanel as PanelName } from '@/lib/kiosk/kiosk-config';
import { useKioskFeed } from '@/lib/kiosk/use-kiosk-feed';
import { useLiveRefresh } from '@/lib/live/use-live-refresh';
import { eventListOptions } from '@/lib/queries/events';
import { useOpenGroups, useSummary, useTimeline, useTop } from '@/lib/queries/stats';
import type { TopValue } from '@/lib/stats/types';
import { LazyChartTimeline } from '../charts/lazy-chart-timeline';
import { LiveBadge } from '../live/live-badge';
import {
  KioskClock,
  KioskCounters,
  KioskFeed,
  KioskGroupList,
  KioskMessage,
  KioskPanel,
  KioskTopList,
} from './kiosk-parts';

const PANEL_TITLES: Record<PanelName, string> = {
  overview: 'Overview',
  rules: 'Top rules and open groups',
  containers: 'Top containers',
  alerts: 'Latest alerts',
};

/** The root font size in px (the kiosk scales it with the screen), for the chart's SVG text. */
function useRootFontPx(): number {
  const [px, setPx] = useState(16);
  useEffect(() => {
    const measure = () => setPx(parseFloat(getComputedStyle(document.documentElement).fontSize) || 16);
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, []);
  return px;
}

function Loading<T>({
  result,
  empty,
  children,
}: {
  result: { data?: T; error: Error | null; isPending: boolean };
  empty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}) {
  if (result.error && !result.data)
    return <KioskMessage tone="error">Cannot load: {result.error.message}</KioskMessage>;
  if (result.data === undefined) return <KioskMessage>Loading…</KioskMessage>;
  if (empty?.(result.data)) return <KioskMessage>No alerts in this window.</KioskMessage>;
  return <>{children(result.data)}</>;
}

function TopPanel({
  title,
  query,
  dimension,
  limit,
  testId,
  labelFor = (value) => valueLabel(dimension, value),
}: {
  title: string;
  query: string;
  dimension: Dimension;
  limit: number;
  testId: string;
  labelFor?: (value: TopValue) => string;
}) {
  const top = useTop(query, dimension, limit);
  return (
    <KioskPanel title={title} testId={testId}>
      <Loading result={top} empty={(data) => data.values.length === 0}>
        {(data) => <KioskTopList values={data.values} labelFor={labelFor} testId={`${testId}-list`} />}
      </Loading>
    </KioskPanel>
  );
}

function OpenGroupsPanel({ query, limit }: { query: string; limit: number }) {
  const groups = useOpenGroups(query, limit);
  return (
    <KioskPanel title="Open groups, most severe first" testId="kiosk-open-groups">
      <Loading result={groups} empty={(data) => data.groups.length === 0}>
        {(data) => <KioskGroupList groups={data.groups} testId="kiosk-open-groups-list" />}
      </Loading>
    </KioskPanel>
  );
}

function TimelinePanel({ query }: { query: string }) {
  const timeline = useTimeline(query, 'priority');
  const fontPx = useRootFontPx();
  return (
    <KioskPanel title="Alerts over time" testId="kiosk-timeline" className="h-full">
      <div className="h-full p-3">
        <Loading result={timeline}>
          {(data) => (
            <LazyChartTimeline
              timeline={data}
              kind="priority"
              height="fill"
              label="Alerts over time"
              fontSize={Math.round(fontPx * 0.75)}
              yAxisWidth={Math.round(fontPx * 3.2)}
            />
          )}
        </Loading>
      </div>
    </KioskPanel>
  );
}

export function KioskPage({ config }: { config: KioskConfig }) {
  const { query, feedQuery, feedPriority, rotateSeconds } = config;
  const feed = useKioskFeed(feedQuery, feedPriority);
  // Counters, charts, top lists and feed move together: the feed takes an alert once they count it.
  const stream = useLiveRefresh(query, { onAlerts: feed.add });
  const summary = useSummary(query);
  // The newest alert of the window (any priority), for "last alert N s ago" before the stream brings one.
  const newest = useQuery(eventListOptions(`${query}&limit=1`));
  const newestMs = newest.data?.events[0] ? Date.parse(newest.data.events[0].time) : null;
  const lastAlertMs = Math.max(stream.lastAlertAt ?? 0, newestMs ?? 0) || null;

  const [panelIndex, setPanelIndex] = useState(0);
  useEffect(() => {
    if (rotateSeconds === null) return;
    const timer = setInterval(() => setPanelIndex((i) => (i + 1) % KIOSK_PANELS.length), rotateSeconds * 1000);
    return () => clearInterval(timer);
  }, [rotateSeconds]);
  const shown = rotateSeconds === null ? null : KIOSK_PANELS[panelIndex]!;

  const counters = <Loading result={summary}>{(data) => <KioskCounters summary={data} />}</Loading>;
  const rules = (
    <TopPanel title="Top rules" query={query} dimension="rule" limit={shown ? 15 : 8} testId="kiosk-top-rules" />
  );
  const containers = (
    <TopPanel
      title="Top containers"
      query={query}
      dimension="container"
      limit={shown ? 12 : 6}
      testId="kiosk-top-containers"
    />
  );
  const namespaces = (
    <TopPanel
      title="Top namespaces"
      query={query}
      dimension="namespace"
      limit={shown ? 12 : 5}
      testId="kiosk-top-namespaces"
    />
  );
  const openGroups = <OpenGroupsPanel query={query} limit={shown ? 15 : 6} />;
  const alerts = (
    <KioskPanel title={`Latest alerts · ${feedPriority} and above`} testId="kiosk-latest" className="h-full">
      {feed.error && feed.alerts.length === 0 ? (
        <KioskMessage tone="error">Cannot load alerts: {feed.error.message}</KioskMessage>
      ) : feed.isPending ? (
        <KioskMessage>Loading…</KioskMessage>
      ) : feed.alerts.length === 0 ? (
        <KioskMessage>No {feedPriority} or higher alerts in this window.</KioskMessage>
      ) : (
        <KioskFeed alerts={feed.alerts} limit={shown ? 40 : 24} />
      )}
    </KioskPanel>
  );

  return (
    <div className="kiosk-root grid h-dvh grid-rows-[auto_minmax(0,1fr)] gap-3 overflow-hidden p-4">
      <header className="flex items-center justify-between gap-6">
        <div className="flex min-w-0 items-baseline gap-4">
          <span className="flex items-center gap-2 text-2xl font-bold tracking-tight">
            <img src={withBasePath('/icon.svg')} alt="" className="h-[1.2em] w-[1.2em] self-center" />
            Perch
          </span>
          <span className="alert-text truncate text-lg text-muted" data-testid="kiosk-scope">
            {describeScope(config)}
          </span>
          {shown && (
            <span className="text-lg font-semibold" data-testid="kiosk-rotating">
              {PANEL_TITLES[shown]} ({panelIndex + 1}/{KIOSK_PANELS.length})
            </span>
          )}
        </div>
        <div className="flex shrink-0 items-center gap-6">
          <KioskClock lastAlertMs={lastAlertMs} />
          <LiveBadge state={stream.state} size="large" />
        </div>
      </header>

      {shown === null ? (
        <div className="grid min-h-0 grid-rows-[auto_minmax(0,2fr)_minmax(0,3fr)] gap-3">
          {counters}
          <div className="grid min-h-0 grid-cols-3 gap-3">
            <div className="col-span-2 min-h-0">
              <TimelinePanel query={query} />
            </div>
            {rules}
          </div>
          <div className="grid min-h-0 grid-cols-3 gap-3">
            <div className="col-span-2 min-h-0">{alerts}</div>
            <div className="grid min-h-0 grid-rows-2 gap-3">
              {openGroups}
              <div className="grid min-h-0 grid-cols-2 gap-3">
                {containers}
                {namespaces}
              </div>
            </div>
          </div>
        </div>
      ) : shown === 'overview' ? (
        <div className="grid min-h-0 grid-rows-[auto_minmax(0,1fr)] gap-3">
          {counters}
          <TimelinePanel query={query} />
        </div>
      ) : shown === 'rules' ? (
        <div className="grid min-h-0 grid-cols-2 gap-3">
          {rules}
          {openGroups}
        </div>
      ) : shown === 'containers' ? (
        <div className="grid min-h-0 grid-cols-2 gap-3">
          {containers}
          {namespaces}
        </div>
      ) : (
        alerts
      )}
    </div>
  );
}

/** What this screen shows, in words: "Last 24h · namespace prod". */
function describeScope({ filter }: KioskConfig): string {
  const parts = [
    filter.from && filter.from !== 'all' && /^\d+[smhdw]$/.test(filter.from)
      ? `Last ${filter.from}`
      : filter.from === 'all'
        ? 'All time'
        : `From ${filter.from}`,
  ];
  if (filter.to) parts.push(`to ${filter.to}`);
  for (const key of PICKABLE_DIMENSIONS) {
    if (filter[key].length > 0) parts.push(`${key} ${filter[key].join(', ')}`);
  }
  if (filter.q) parts.push(`"${filter.q}"`);
  return parts.join(' · ');
}
