'use client';

import { DataLink } from '@/components/ui/data-link';
import { useMemo } from 'react';
import { filterHref } from '@/lib/filters/href';
import type { useEventFilter } from '@/lib/filters/use-event-filter';
import { useProcessTree } from '@/lib/queries/stats';
import { BarList } from '../charts/bar-list';
import { TreeSampleNote } from '../ancestry/tree-sample-note';
import { Panel, PanelState } from '../ui/panel';
import { distinctChains } from './breakdowns';

/** The process chains the filter's alerts came from, most frequent first; each opens the explorer on its chain. */
export function ChainPanel({ state, limit = 8 }: { state: ReturnType<typeof useEventFilter>; limit?: number }) {
  const { data, error, isPending } = useProcessTree(state.query);
  const chains = useMemo(() => (data ? distinctChains(data.scopes, limit) : []), [data, limit]);
  const explorer = filterHref('/events', state.filter);
  return (
    <Panel
      title="By process chain"
      actions={
        <DataLink
          href={`${explorer}${explorer.includes('?') ? '&' : '?'}view=tree`}
          className="text-xs text-accent hover:underline"
        >
          Process tree →
        </DataLink>
      }
    >
      {isPending ? (
        <PanelState kind="loading" />
      ) : error ? (
        <PanelState kind="error" message={`Could not load: ${error.message}`} />
      ) : chains.length === 0 ? (
        <PanelState kind="empty" message="No alerts with process information in this range." />
      ) : (
        <>
          {/* From the tree's oldest alert on when it holds only the newest: a bar's link lists as many alerts as it counts. */}
          <BarList
            values={chains}
            href={(value) =>
              filterHref('/events', state.filter, {
                set: { chain: [value.value], ...(data.sample ? { from: data.sample.since } : {}) },
              })
            }
            testId="top-chain"
          />
          {data.sample && (
            <TreeSampleNote
              sample={data.sample}
              narrowHref={state.href({ set: { from: data.sample.since } })}
              className="px-4 pb-2 text-xs"
            />
          )}
          {data.truncated && (
            <p className="px-4 pb-2 text-xs text-muted">
              Counted from the most frequent chains only; narrow the filter for exact numbers.
            </p>
          )}
        </>
      )}
    </Panel>
  );
}
