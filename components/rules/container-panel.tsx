'use client';

import { useMemo } from 'react';
import type { useEventFilter } from '@/lib/filters/use-event-filter';
import { useTop } from '@/lib/queries/stats';
import { BarList } from '../charts/bar-list';
import { Panel, PanelState } from '../ui/panel';
import { distinguishContainers } from './breakdowns';

/**
 * The containers the filter's alerts came from; each row adds its filter to the page. A host's
 * own processes are the pseudo-container `host` on that host, so that row adds both.
 */
export function ContainerPanel({ state, limit = 8 }: { state: ReturnType<typeof useEventFilter>; limit?: number }) {
  const { data, error, isPending } = useTop(state.query, 'container', limit);
  const values = useMemo(() => (data ? distinguishContainers(data.values) : []), [data]);
  return (
    <Panel title="By container">
      {isPending ? (
        <PanelState kind="loading" />
      ) : error ? (
        <PanelState kind="error" message={`Could not load: ${error.message}`} />
      ) : values.length === 0 ? (
        <PanelState kind="empty" message="No alerts in this range." />
      ) : (
        <BarList
          values={values}
          testId="top-container"
          href={(v) =>
            v.value === 'host' && v.hostname
              ? state.href({ add: 'container', value: 'host' }, { add: 'hostname', value: v.hostname })
              : state.href({ add: 'container', value: v.value })
          }
        />
      )}
    </Panel>
  );
}
