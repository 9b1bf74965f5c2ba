'use client';

import { DataLink } from '@/components/ui/data-link';
import { findPriority } from '@/lib/falco/priorities';
import type { EventFilter } from '@/lib/filters/event-filter';
import { filterHref, groupAlertsHref, rangeOnly } from '@/lib/filters/href';
import { useOpenGroups } from '@/lib/queries/stats';
import type { GroupKeyFields } from '@/lib/triage/groupings';
import { chainText, placeFields } from '../groups/group-display';
import { Panel, PanelState } from '../ui/panel';
import { PriorityShape } from '../ui/priority-badge';

/** Where a group's alerts ran and what ran them, in one line. */
export function groupPlaceText(fields: GroupKeyFields): string {
  return [
    ...placeFields(fields).map((part) => (part.label === 'image' ? part.value : `${part.label} ${part.value}`)),
    fields.chain && chainText(fields.chain),
  ]
    .filter(Boolean)
    .join(' · ');
}

/** The open triage groups of the range, most severe first, each linking to its alerts. */
export function OpenGroupsPanel({
  filter,
  query,
  limit = 8,
  size = 'page',
}: {
  filter: EventFilter;
  query: string;
  limit?: number;
  size?: 'page' | 'wall';
}) {
  const { data, error, isPending } = useOpenGroups(query, limit);
  const text = size === 'wall' ? 'text-base' : 'text-sm';
  return (
    <Panel
      title="Open groups"
      actions={
        <DataLink
          href={filterHref('/groups', { ...rangeOnly(filter), status: ['open'] })}
          className="text-xs text-accent hover:underline"
        >
          Triage →
        </DataLink>
      }
    >
      {isPending ? (
        <PanelState kind="loading" />
      ) : error ? (
        <PanelState kind="error" message={`Could not load: ${error.message}`} />
      ) : data.groups.length === 0 ? (
        <PanelState kind="empty" message="No open groups in this range: everything here has been triaged." />
      ) : (
        <ol className="divide-y divide-border/60" data-testid="open-groups">
          {data.groups.map((group) => (
            <li key={group.key}>
              <DataLink
                href={groupAlertsHref(group, filter)}
                className={`flex items-center gap-2 px-4 py-1.5 ${text} hover:bg-surface-2`}
                title={`${group.fields.rule}: ${group.count.toLocaleString()} alerts, worst ${group.worstPriority}`}
              >
                <span
                  className="shrink-0"
                  style={{ color: findPriority(group.worstPriority)!.color }}
                  title={group.worstPriority}
                >
                  <PriorityShape rank={findPriority(group.worstPriority)!.rank} className="h-2.5 w-2.5" />
                </span>
                <span className="min-w-0 flex-1">
                  <span className="alert-text block truncate">{group.fields.rule}</span>
                  <span className="alert-text block truncate text-xs text-muted">{groupPlaceText(group.fields)}</span>
                </span>
                {group.new && <span className="rounded bg-accent/15 px-1.5 text-xs font-medium text-accent">new</span>}
                <span className="tabular-nums text-muted">{group.count.toLocaleString()}</span>
              </DataLink>
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
}
