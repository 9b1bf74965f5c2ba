'use client';

import dynamic from 'next/dynamic';

const loadChart = () => import('./chart-timeline').then((module) => module.ChartTimeline);

// Fetch the chart's code as soon as this module runs in the browser, alongside the page's data,
// rather than when the data has arrived and the chart is first drawn.
if (typeof window !== 'undefined') void loadChart();

/**
 * ChartTimeline, loaded after the page: recharts is the largest part of the dashboard's JavaScript,
 * and the page is usable (counters, lists, filters) before its chart has drawn.
 */
export const LazyChartTimeline = dynamic(loadChart, {
  ssr: false,
  loading: () => (
    <div className="h-full min-h-40 animate-pulse rounded bg-surface-2/60" role="status" aria-label="Loading chart" />
  ),
});
