'use client';

import { DataLink } from '@/components/ui/data-link';
import { useMemo, useState } from 'react';
import { findPriority } from '@/lib/falco/priorities';
import type { EventFilter } from '@/lib/filters/event-filter';
import { filterHref, ruleHref } from '@/lib/filters/href';
import { formatTrendWidth, trendBarTitles, trendCoverage, type TrendBuckets } from '@/lib/stats/trend-buckets';
import type { RuleRow } from '@/lib/stats/types';
import { Sparkline } from '../charts/sparkline';
import { EventTime } from '../ui/event-time';
import { PriorityBadge } from '../ui/priority-badge';
import { DEFAULT_DIRECTION, sortRules, type RuleSort, type SortDirection } from './sort-rules';

function SortHeader({
  label,
  sort,
  current,
  direction,
  onSort,
  className = '',
}: {
  label: string;
  sort: RuleSort;
  current: RuleSort;
  direction: SortDirection;
  onSort: (sort: RuleSort) => void;
  className?: string;
}) {
  const active = sort === current;
  return (
    <th
      scope="col"
      aria-sort={active ? (direction === 'asc' ? 'ascending' : 'descending') : 'none'}
      className={`px-2 py-2 font-medium ${className}`}
    >
      <button
        type="button"
        onClick={() => onSort(sort)}
        data-testid={`sort-${sort}`}
        className={`inline-flex items-center gap-1 uppercase tracking-wide hover:text-fg ${active ? 'text-fg' : ''}`}
      >
        {label}
        <span aria-hidden className={active ? '' : 'invisible'}>
          {direction === 'asc' ? '▲' : '▼'}
        </span>
      </button>
    </th>
  );
}

const barTime = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/**
 * Every rule that fired in the filter, sortable by count (default), name, last seen or priority.
 * The rule name opens its page (keeping the range); "Alerts" opens the explorer on that rule.
 */
export function RulesTable({ rows, trend, filter }: { rows: RuleRow[]; trend: TrendBuckets; filter: EventFilter }) {
  const [sort, setSort] = useState<RuleSort>('count');
  const [direction, setDirection] = useState<SortDirection>('desc');
  const onSort = (next: RuleSort) => {
    if (next === sort) setDirection(direction === 'asc' ? 'desc' : 'asc');
    else {
      setSort(next);
      setDirection(DEFAULT_DIRECTION[next]);
    }
  };
  const sorted = sortRules(rows, sort, direction);
  const coverage = useMemo(() => trendCoverage(trend), [trend]);
  const width = formatTrendWidth(trend.widthMs);
  const partial = coverage.some((covered) => covered < 1);
  const headerProps = { current: sort, direction, onSort };

  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[1040px] table-fixed text-sm" data-testid="rules-table">
        <thead className="text-left text-xs uppercase tracking-wide text-muted">
          <tr className="border-b border-border">
            <SortHeader label="Rule" sort="name" className="pl-4" {...headerProps} />
            <SortHeader label="Worst priority" sort="priority" className="w-36" {...headerProps} />
            <SortHeader
              label="Alerts"
              sort="count"
              className="w-24 text-right [&>button]:flex-row-reverse"
              {...headerProps}
            />
            <th
              scope="col"
              className="w-32 px-2 py-2 font-medium"
              data-testid="trend-header"
              title={`Alerts per ${width}${partial ? '; a faded bar counts only the part of its period inside the range' : ''}`}
            >
              Trend <span className="normal-case tracking-normal">· per {width}</span>
            </th>
            <th scope="col" className="w-36 px-2 py-2 font-medium">
              First seen
            </th>
            <SortHeader label="Last seen" sort="lastSeen" className="w-36" {...headerProps} />
            <th scope="col" className="w-24 px-2 py-2 text-right font-medium">
              Containers
            </th>
            <th scope="col" className="w-16 px-2 py-2 text-right font-medium">
              Hosts
            </th>
            <th scope="col" className="w-20 px-2 py-2 pr-4 font-medium">
              <span className="sr-only">Open in Alerts</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => {
            const color = findPriority(row.worstPriority)?.color;
            return (
              <tr
                key={row.rule}
                data-testid="rule-row"
                data-rule={row.rule}
                className="border-b border-border/60 align-middle last:border-0 hover:bg-surface-2"
              >
                <td className="py-1.5 pl-4 pr-2 font-medium">
                  <DataLink
                    href={ruleHref(row.rule, filter)}
                    className="alert-text line-clamp-2 hover:text-accent hover:underline"
                    data-testid="rule-name"
                    title={row.rule}
                  >
                    {row.rule}
                  </DataLink>
                </td>
                <td className="px-2 py-1.5" data-testid="rule-priority">
                  <PriorityBadge priority={row.worstPriority} />
                </td>
                <td className="px-2 py-1.5 text-right font-semibold tabular-nums" data-testid="rule-count">
                  {row.count.toLocaleString()}
                </td>
                <td className="px-2 py-1.5">
                  <Sparkline
                    values={row.trend}
                    coverage={coverage}
                    titles={trendBarTitles(trend, row.trend, (ms) => barTime.format(ms))}
                    color={color}
                    width={104}
                    height={22}
                    label={`${row.rule}: alerts per ${width} over the range`}
                  />
                </td>
                <td className="px-2 py-1.5 text-muted">
                  <EventTime time={row.firstSeen} />
                </td>
                <td className="px-2 py-1.5 text-muted" data-testid="rule-last-seen">
                  <EventTime time={row.lastSeen} />
                </td>
                <td className="px-2 py-1.5 text-right tabular-nums" data-testid="rule-containers">
                  {row.containers.toLocaleString()}
                </td>
                <td className="px-2 py-1.5 text-right tabular-nums" data-testid="rule-hosts">
                  {row.hosts.toLocaleString()}
                </td>
                <td className="py-1.5 pl-2 pr-4 text-right">
                  <DataLink
                    href={filterHref('/events', filter, { add: 'rule', value: row.rule })}
                    data-testid="rule-alerts-link"
                    className="whitespace-nowrap text-xs text-accent hover:underline"
                    title={`Open the alerts of ${row.rule}`}
                  >
                    Alerts →
                  </DataLink>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
