'use client';

import { valueLabel, type Dimension } from '@/lib/filters/dimensions';
import type { TopValue } from '@/lib/stats/types';
import { useTop } from '@/lib/queries/stats';
import { BarList } from '../charts/bar-list';
import { Panel, PanelState } from '../ui/panel';

/** A "top N" panel for one dimension; each row links where `href` says (usually: add the filter). */
export function TopPanel({
  title,
  query,
  dimension,
  href,
  limit = 8,
  labelFor = (value) => valueLabel(dimension, value),
  actions,
}: {
  title: string;
  query: string;
  dimension: Dimension;
  href: (value: TopValue) => string;
  limit?: number;
  labelFor?: (value: TopValue) => string;
  actions?: React.ReactNode;
}) {
  const { data, error, isPending } = useTop(query, dimension, limit);
  return (
    <Panel title={title} actions={actions}>
      {isPending ? (
        <PanelState kind="loading" />
      ) : error ? (
        <PanelState kind="error" message={`Could not load: ${error.message}`} />
      ) : data.values.length === 0 ? (
        <PanelState kind="empty" message="No alerts in this range." />
      ) : (
        <BarList values={data.values} href={href} labelFor={labelFor} testId={`top-${dimension}`} />
      )}
    </Panel>
  );
}
