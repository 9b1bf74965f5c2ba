'use client';

import dynamic from 'next/dynamic';

/**
 * ChartTimeline, loaded after the page: recharts is the largest part of the dashboard's JavaScript,
 * and the page is usable (counters, lists, filters) before its chart has drawn.
 */
export const LazyChartTimeline = dynamic(() => import('./chart-timeline').then((module) => module.ChartTimeline), {
  ssr: false,
  loading: () => <div className="h-full min-h-40 animate-pulse rounded bg-surface-2/60" role="status" aria-label="Loading chart" />,
});
