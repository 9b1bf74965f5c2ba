'use client';
// The kiosk's panels. Sizes are in rem: the kiosk sets the root font size from the screen width
// (app/globals.css), so the same layout reads from across a room on 1080p and on 4K.
import { useEffect, useState, type ReactNode } from 'react';
import { PRIORITIES, URGENT_RANK } from '@/lib/falco/priorities';
import type { FeedAlert } from '@/lib/kiosk/use-kiosk-feed';
import type { RangeSummary, TopValue } from '@/lib/stats/types';
import { PeriodChange } from '../events/priority-counters';
import { PriorityShape } from '../ui/priority-badge';
import type { GroupRow } from '@/lib/triage/groupings';
import { groupPlaceText } from '../overview/open-groups';

export function KioskPanel({
  title,
  children,
  className = '',
  testId,
}: {
  title: ReactNode;
  children: ReactNode;
  className?: string;
  testId: string;
}) {
  return (
    <section
      className={`flex min-h-0 flex-col overflow-hidden rounded-xl border border-border bg-surface ${className}`}
      data-testid={testId}
    >
      <h2 className="shrink-0 border-b border-border px-4 py-2 text-base font-semibold uppercase tracking-wide text-muted">
        {title}
      </h2>
      <div className="min-h-0 flex-1 overflow-hidden">{children}</div>
    </section>
  );
}

export function KioskMessage({ children, tone = 'muted' }: { children: ReactNode; tone?: 'muted' | 'error' }) {
  return (
    <p
      role={tone === 'error' ? 'alert' : 'status'}
      className={`p-4 text-lg ${tone === 'error' ? 'text-[var(--priority-critical)]' : 'text-muted'}`}
    >
      {children}
    </p>
  );
}

/** One tile per priority with its count and its change against the previous window. */
export function KioskCounters({ summary }: { summary: RangeSummary }) {
  const counts = new Map(summary.priorities.map((p) => [p.priorityRank, p.count]));
  const previous = summary.previous ? new Map(summary.previous.priorities.map((p) => [p.priorityRank, p.count])) : null;
  return (
    <ul className="grid grid-cols-8 gap-3" aria-label="Alerts per priority" data-testid="kiosk-counters">
      {PRIORITIES.map((p) => {
        const count = counts.get(p.rank) ?? 0;
        const urgent = p.rank <= URGENT_RANK && count > 0;
        return (
          <li
            key={p.name}
            data-testid={`kiosk-count-${p.name}`}
            className={`min-w-0 rounded-xl border bg-surface px-3 py-2 ${urgent ? 'border-[3px]' : 'border-border'}`}
            style={urgent ? { borderColor: p.color } : undefined}
          >
            <div
              className="flex items-center gap-1.5 truncate text-sm font-semibold uppercase"
              style={{ color: p.color }}
            >
              <PriorityShape rank={p.rank} className="h-[0.9em] w-[0.9em] shrink-0" />
              <span className="hidden 2xl:inline">{p.name}</span>
              <span className="2xl:hidden">{p.short}</span>
            </div>
            <div
              className={`text-4xl leading-tight tabular-nums ${count === 0 ? 'text-muted' : 'font-bold'}`}
              data-testid="count-value"
            >
              {count.toLocaleString()}
            </div>
            <PeriodChange now={count} before={previous?.get(p.rank)} />
          </li>
        );
      })}
    </ul>
  );
}

// A column that wraps the rows that do not fit into a second column, hidden to the right: a
// panel shows only whole rows, never half of one cut off at the bottom.
const WHOLE_ROWS_ONLY = 'flex h-full flex-col flex-wrap content-start overflow-hidden';

/** Open triage groups, most severe first: what still waits for someone. */
export function KioskGroupList({ groups, testId }: { groups: GroupRow[]; testId: string }) {
  return (
    <div className="h-full p-3">
      <ol className={`${WHOLE_ROWS_ONLY} gap-1`} data-testid={testId}>
        {groups.map((group) => {
          const priority = PRIORITIES.find((p) => p.name === group.worstPriority) ?? PRIORITIES[7];
          const place = groupPlaceText(group.fields);
          return (
            <li key={group.key} className="flex w-full items-center gap-2 rounded px-2 py-1 text-lg">
              <span className="shrink-0" style={{ color: priority.color }} title={`worst: ${priority.name}`}>
                <PriorityShape rank={priority.rank} className="h-[0.8em] w-[0.8em]" />
              </span>
              <span className="min-w-0 flex-1">
                <span className="alert-text block truncate">{group.fields.rule}</span>
                {place && <span className="alert-text block truncate text-sm text-muted">{place}</span>}
              </span>
              {group.new && <span className="text-base font-semibold text-accent">new</span>}
              <span className="font-semibold tabular-nums">{group.count.toLocaleString()}</span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}

/** A ranked list with bars; no links (nobody clicks a wall screen). */
export function KioskTopList({
  values,
  labelFor,
  testId,
}: {
  values: TopValue[];
  labelFor?: (value: TopValue) => string;
  testId: string;
}) {
  const max = Math.max(1, ...values.map((v) => v.count));
  return (
    // Padding outside the list: the hidden second column must not show in it.
    <div className="h-full p-3">
      <ol className={`${WHOLE_ROWS_ONLY} gap-1`} data-testid={testId}>
        {values.map((value) => {
          const priority = PRIORITIES.find((p) => p.name === value.worstPriority) ?? PRIORITIES[7];
          return (
            <li
              key={`${value.value}\u0000${value.hostname ?? ''}`}
              className="relative flex w-full items-center gap-2 rounded px-2 py-1 text-lg"
            >
              <span
                aria-hidden
                className="absolute inset-y-0.5 left-0 rounded opacity-20"
                style={{ width: `${(value.count / max) * 100}%`, background: priority.color }}
              />
              <span className="relative shrink-0" style={{ color: priority.color }} title={`worst: ${priority.name}`}>
                <PriorityShape rank={priority.rank} className="h-[0.8em] w-[0.8em]" />
              </span>
              <span className="alert-text relative min-w-0 flex-1 truncate" data-testid="bar-label">
                {labelFor?.(value) ?? value.label}
              </span>
              <span className="relative font-semibold tabular-nums" data-testid="bar-count">
                {value.count.toLocaleString()}
              </span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}

const feedTime = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** The newest alerts, newest first; ones that just arrived glow for a few seconds. */
export function KioskFeed({ alerts, limit }: { alerts: FeedAlert[]; limit: number }) {
  return (
    <ol data-testid="kiosk-feed" className={WHOLE_ROWS_ONLY}>
      {alerts.slice(0, limit).map((alert) => {
        const priority = PRIORITIES[alert.priorityRank] ?? PRIORITIES[7];
        const where = alert.k8sNamespace
          ? `${alert.k8sNamespace}/${alert.k8sPod ?? '?'}`
          : (alert.containerName ?? (alert.containerId === 'host' ? 'host' : alert.containerId));
        return (
          <li
            key={alert.id}
            data-testid="kiosk-alert"
            data-fresh={alert.fresh || undefined}
            className={`grid w-full grid-cols-[auto_auto_minmax(0,1fr)] items-baseline gap-x-3 border-b border-border/70 px-4 py-1.5 ${alert.fresh ? 'kiosk-fresh' : ''}`}
          >
            <time dateTime={alert.time} className="tabular-nums text-muted">
              {feedTime.format(new Date(alert.time))}
            </time>
            <span
              className="inline-flex items-center gap-1 text-sm font-bold uppercase"
              style={{ color: priority.color }}
            >
              <PriorityShape rank={priority.rank} className="h-[0.9em] w-[0.9em]" />
              {priority.short}
            </span>
            <span className="min-w-0 truncate">
              <span className="alert-text font-semibold" data-testid="kiosk-alert-rule">
                {alert.rule}
              </span>
              <span className="alert-text text-muted">
                {' '}
                · {[alert.hostname, where, alert.procName].filter(Boolean).join(' · ')}
              </span>
            </span>
          </li>
        );
      })}
    </ol>
  );
}

function agoText(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 48 * 3600) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} d ago`;
}

const clockTime = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});
const clockDate = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });

/** The wall clock and how long ago the last alert came in, ticking every second. */
export function KioskClock({ lastAlertMs }: { lastAlertMs: number | null }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  if (now === null) return null;
  return (
    <div className="flex items-baseline gap-6">
      <span className="text-lg text-muted" data-testid="kiosk-last-alert">
        {lastAlertMs === null ? (
          'No alerts in this window'
        ) : (
          <>
            Last alert <span className="font-semibold text-fg">{agoText(now - lastAlertMs)}</span>
          </>
        )}
      </span>
      <span className="text-lg text-muted">{clockDate.format(now)}</span>
      <time className="text-3xl font-semibold tabular-nums" data-testid="kiosk-clock">
        {clockTime.format(now)}
      </time>
    </div>
  );
}
