'use client';

import { Fragment, useEffect, useMemo, useRef } from 'react';
import type { GroupRow } from '@/lib/triage/groupings';
import { findPriority } from '@/lib/falco/priorities';
import type { EventFilter } from '@/lib/filters/event-filter';
import { groupAlertsHref } from '@/lib/filters/href';
import { formatTrendWidth, trendBarTitles, trendCoverage, type TrendBuckets } from '@/lib/stats/trend-buckets';
import { Sparkline } from '../charts/sparkline';
import { DataLink } from '../ui/data-link';
import { PriorityBadge } from '../ui/priority-badge';
import { chainText, placeFields, statusLine } from './group-display';
import { exactTime, RelativeTime, StatusBadge } from './group-parts';
import { GroupDetail } from './group-detail';

export interface ListedGroup {
  group: GroupRow;
  /** The layout of the page of the answer the row came in. */
  trend: TrendBuckets;
}

const barTime = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

interface GroupsTableProps {
  rows: readonly ListedGroup[];
  filter: EventFilter;
  now: number;
  /** False for a view token: no checkboxes. */
  canTriage: boolean;
  focusedKey: string | null;
  selected: ReadonlySet<string>;
  expanded: ReadonlySet<string>;
  onFocus: (key: string) => void;
  onToggleSelect: (key: string) => void;
  onSelectAll: (select: boolean) => void;
  onToggleExpand: (key: string) => void;
}

/** The groups of the view: one row each, unfolding into its detail and history. */
export function GroupsTable({
  rows,
  filter,
  now,
  canTriage,
  focusedKey,
  selected,
  expanded,
  onFocus,
  onToggleSelect,
  onSelectAll,
  onToggleExpand,
}: GroupsTableProps) {
  const trend = rows[0]!.trend;
  const width = formatTrendWidth(trend.widthMs);
  const selectedOnPage = rows.filter((row) => selected.has(row.group.key)).length;
  const all = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (all.current) all.current.indeterminate = selectedOnPage > 0 && selectedOnPage < rows.length;
  }, [selectedOnPage, rows.length]);
  const columns = canTriage ? 9 : 8;

  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[1100px] table-fixed text-sm" data-testid="groups-table">
        <thead className="text-left text-xs uppercase tracking-wide text-muted">
          <tr className="border-b border-border">
            <th scope="col" className="w-9 py-2 pl-3">
              <span className="sr-only">Details</span>
            </th>
            {canTriage && (
              <th scope="col" className="w-8 py-2">
                <input
                  ref={all}
                  type="checkbox"
                  checked={rows.length > 0 && selectedOnPage === rows.length}
                  onChange={(e) => onSelectAll(e.target.checked)}
                  aria-label="Select every group shown"
                  data-testid="select-all"
                  className="h-4 w-4 accent-[var(--accent)]"
                />
              </th>
            )}
            <th scope="col" className="w-32 px-2 py-2 font-medium">
              Worst priority
            </th>
            <th scope="col" className="px-2 py-2 font-medium">
              Group
            </th>
            <th scope="col" className="w-20 px-2 py-2 text-right font-medium">
              Alerts
            </th>
            <th
              scope="col"
              className="w-32 px-2 py-2 font-medium"
              title={`Alerts per ${width}; a faded bar counts only the part of its period inside the range`}
            >
              Trend <span className="normal-case tracking-normal">· per {width}</span>
            </th>
            <th scope="col" className="w-28 px-2 py-2 text-right font-medium" title="Containers · hosts">
              Ctrs · hosts
            </th>
            <th scope="col" className="w-32 px-2 py-2 font-medium">
              Seen
            </th>
            <th scope="col" className="w-60 px-2 py-2 pr-4 font-medium">
              Status
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ group, trend: rowTrend }) => {
            const open = expanded.has(group.key);
            const href = groupAlertsHref(group, filter);
            return (
              <Fragment key={group.key}>
                <GroupLine
                  group={group}
                  trend={rowTrend}
                  href={href}
                  now={now}
                  canTriage={canTriage}
                  focused={focusedKey === group.key}
                  selected={selected.has(group.key)}
                  open={open}
                  onFocus={onFocus}
                  onToggleSelect={onToggleSelect}
                  onToggleExpand={onToggleExpand}
                />
                {open && (
                  <tr
                    className="border-b border-border bg-surface-2/50"
                    data-testid="group-detail-row"
                    data-key={group.key}
                  >
                    <td colSpan={columns}>
                      <GroupDetail group={group} alertsHref={href} now={now} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function GroupLine({
  group,
  trend,
  href,
  now,
  canTriage,
  focused,
  selected,
  open,
  onFocus,
  onToggleSelect,
  onToggleExpand,
}: {
  group: GroupRow;
  trend: TrendBuckets;
  href: string;
  now: number;
  canTriage: boolean;
  focused: boolean;
  selected: boolean;
  open: boolean;
  onFocus: (key: string) => void;
  onToggleSelect: (key: string) => void;
  onToggleExpand: (key: string) => void;
}) {
  const ref = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    // Keyboard focus follows j/k; a row already holding it (a click inside) keeps its own element focused.
    if (focused && ref.current && !ref.current.contains(document.activeElement)) {
      ref.current.focus({ preventScroll: true });
      ref.current.scrollIntoView({ block: 'nearest' });
    }
  }, [focused]);
  const coverage = useMemo(() => trendCoverage(trend), [trend]);
  const width = formatTrendWidth(trend.widthMs);
  const { fields, status } = group;
  const line = statusLine(status, now);
  const places = placeFields(fields);
  return (
    <tr
      ref={ref}
      tabIndex={-1}
      data-testid="group-row"
      data-key={group.key}
      data-status={status.status}
      data-focused={focused ? 'true' : undefined}
      aria-selected={canTriage ? selected : undefined}
      onClick={() => onFocus(group.key)}
      className={`scroll-mt-36 border-b border-border/60 align-top outline-none last:border-0 ${
        selected ? 'bg-accent/10' : 'hover:bg-surface-2'
      } ${focused ? 'shadow-[inset_3px_0_0_var(--accent)]' : ''}`}
    >
      <td className="py-2 pl-3">
        <button
          type="button"
          onClick={() => onToggleExpand(group.key)}
          aria-expanded={open}
          aria-label={open ? 'Hide the history' : 'Show the details and history'}
          data-testid="group-expand"
          className="flex h-5 w-5 items-center justify-center rounded text-muted hover:bg-surface-2 hover:text-fg"
        >
          <span aria-hidden className={`inline-block transition-transform ${open ? 'rotate-90' : ''}`}>
            ▸
          </span>
        </button>
      </td>
      {canTriage && (
        <td className="py-2">
          <input
            type="checkbox"
            checked={selected}
            onChange={() => onToggleSelect(group.key)}
            aria-label={`Select the group of ${fields.rule}`}
            data-testid="group-select"
            className="mt-0.5 h-4 w-4 accent-[var(--accent)]"
          />
        </td>
      )}
      <td className="px-2 py-2" data-testid="group-priority">
        <PriorityBadge priority={group.worstPriority} />
      </td>
      <td className="min-w-0 px-2 py-2">
        <div className="flex min-w-0 items-start gap-2">
          <DataLink
            href={href}
            className="alert-text line-clamp-2 min-w-0 font-medium hover:text-accent hover:underline"
            data-testid="group-rule"
            title={`${fields.rule}\nOpen the alerts of this group`}
          >
            {fields.rule}
          </DataLink>
          {group.new && (
            <span
              className="mt-0.5 shrink-0 rounded bg-accent px-1 text-[10px] font-semibold uppercase leading-4 tracking-wide text-accent-fg"
              title={`First seen inside this range: ${exactTime(group.firstSeenEver)}`}
              data-testid="group-new"
            >
              new
            </span>
          )}
        </div>
        {(places.length > 0 || fields.chain) && (
          <div className="mt-0.5 flex min-w-0 flex-wrap gap-x-3 text-xs text-muted" data-testid="group-fields">
            {places.map((place) => (
              <span key={place.label} className="min-w-0 max-w-full truncate" title={`${place.label}: ${place.value}`}>
                {place.label}{' '}
                <span
                  className={`alert-text ${place.none ? 'italic' : 'text-fg'}`}
                  data-testid={`group-${place.label}`}
                >
                  {place.value}
                </span>
              </span>
            ))}
            {fields.chain && (
              <span
                className="min-w-0 max-w-full truncate font-mono"
                title={chainText(fields.chain, true)}
                data-testid="group-chain"
              >
                {chainText(fields.chain)}
              </span>
            )}
          </div>
        )}
      </td>
      <td className="px-2 py-2 text-right font-semibold tabular-nums" data-testid="group-count">
        {group.count.toLocaleString()}
      </td>
      <td className="px-2 py-2.5">
        <Sparkline
          values={group.trend}
          coverage={coverage}
          titles={trendBarTitles(trend, group.trend, (ms) => barTime.format(ms))}
          color={findPriority(group.worstPriority)?.color}
          width={112}
          height={20}
          label={`${fields.rule}: alerts per ${width} over the range`}
        />
      </td>
      <td className="px-2 py-2 text-right tabular-nums" data-testid="group-places">
        <span title={`${group.containers} container(s)`}>{group.containers.toLocaleString()}</span>
        <span className="text-muted"> · </span>
        <span title={`${group.hosts} host(s)`}>{group.hosts.toLocaleString()}</span>
      </td>
      <td className="px-2 py-2 text-xs leading-5">
        <div>
          <span className="text-muted">last </span>
          <RelativeTime
            time={group.lastSeen}
            now={now}
            extra={
              group.lastSeenEver !== group.lastSeen ? `Last alert ever: ${exactTime(group.lastSeenEver)}` : undefined
            }
          />
        </div>
        <div className="text-muted">
          first{' '}
          <RelativeTime
            time={group.firstSeen}
            now={now}
            extra={
              group.firstSeenEver !== group.firstSeen
                ? `First alert ever: ${exactTime(group.firstSeenEver)}`
                : undefined
            }
          />
        </div>
      </td>
      <td className="min-w-0 px-2 py-2 pr-4" data-testid="group-status">
        <StatusBadge status={status.status} />
        {line && (
          <div
            className={`mt-0.5 text-xs ${line.alarm ? 'font-medium text-[var(--priority-error)]' : 'text-muted'}`}
            title={status.setAt ? `Set ${exactTime(status.setAt)} by ${status.setBy ?? 'unknown'}` : undefined}
            data-testid="group-status-line"
          >
            {line.text}
          </div>
        )}
        {status.note && (
          <div
            className="alert-text mt-0.5 truncate text-xs italic text-muted"
            title={status.note}
            data-testid="group-note"
          >
            “{status.note}”
          </div>
        )}
      </td>
    </tr>
  );
}
