'use client';

import type { GroupRow } from '@/lib/triage/groupings';
import { useGroupHistory } from '@/lib/queries/groups';
import { DataLink } from '../ui/data-link';
import { ExceptionAction } from './exception-action';
import { chainText, placeFields } from './group-display';
import { RelativeTime, StatusBadge } from './group-parts';

/** A group unfolded: its key fields in full, its times, its alerts and every change of its status. */
export function GroupDetail({ group, alertsHref, now }: { group: GroupRow; alertsHref: string; now: number }) {
  const facts: { label: string; value: string; none?: boolean; mono?: boolean }[] = [
    { label: 'Rule', value: group.fields.rule },
    ...placeFields(group.fields).map((f) => ({ ...f, label: f.label[0]!.toUpperCase() + f.label.slice(1) })),
    ...(group.fields.chain ? [{ label: 'Process chain', value: chainText(group.fields.chain, true), mono: true }] : []),
    { label: 'Key', value: group.key, mono: true },
  ];
  const times = [
    { label: 'First alert in range', time: group.firstSeen },
    { label: 'Last alert in range', time: group.lastSeen },
    ...(group.firstSeenEver !== group.firstSeen ? [{ label: 'First alert ever', time: group.firstSeenEver }] : []),
    ...(group.lastSeenEver !== group.lastSeen ? [{ label: 'Last alert ever', time: group.lastSeenEver }] : []),
  ];
  return (
    <div className="grid gap-4 px-4 py-3 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]" data-testid="group-detail">
      <div className="min-w-0 space-y-3">
        <dl className="grid grid-cols-[9rem_minmax(0,1fr)] gap-x-3 gap-y-1 text-sm">
          {facts.map((fact) => (
            <div key={fact.label} className="contents">
              <dt className="text-muted">{fact.label}</dt>
              <dd
                className={`alert-text ${fact.mono ? 'font-mono text-xs leading-5' : ''} ${fact.none ? 'text-muted' : ''}`}
              >
                {fact.value}
              </dd>
            </div>
          ))}
          {times.map((entry) => (
            <div key={entry.label} className="contents">
              <dt className="text-muted">{entry.label}</dt>
              <dd>
                <RelativeTime time={entry.time} now={now} />
              </dd>
            </div>
          ))}
        </dl>
        <div className="flex flex-wrap items-center gap-3">
          <DataLink href={alertsHref} className="text-sm text-accent hover:underline" data-testid="group-detail-alerts">
            Open its {group.count.toLocaleString()} alert{group.count === 1 ? '' : 's'} →
          </DataLink>
          <ExceptionAction group={group} />
        </div>
      </div>
      <GroupHistory groupKey={group.key} now={now} />
    </div>
  );
}

function GroupHistory({ groupKey, now }: { groupKey: string; now: number }) {
  const { data, error, isPending } = useGroupHistory(groupKey);
  return (
    <section className="min-w-0" aria-label="Status history">
      <h3 className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-muted">Status history</h3>
      {isPending ? (
        <p className="text-sm text-muted">Loading…</p>
      ) : error ? (
        <p role="alert" className="text-sm text-[var(--priority-critical)]">
          Could not load the history: {error.message}
        </p>
      ) : data.history.length === 0 ? (
        <p className="text-sm text-muted" data-testid="history-empty">
          Never triaged: open since its first alert.
        </p>
      ) : (
        <ol className="space-y-2" data-testid="history">
          {data.history.map((entry, i) => (
            <li
              // biome-ignore lint/suspicious/noArrayIndexKey: the history only grows at its head, newest first.
              key={`${entry.at}-${i}`}
              className="rounded-md border border-border bg-surface px-3 py-2 text-sm"
              data-testid="history-entry"
            >
              <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                <StatusBadge status={entry.status} />
                <span className="alert-text font-medium" data-testid="history-by">
                  {entry.by}
                </span>
                <span className="text-muted">
                  <RelativeTime time={entry.at} now={now} />
                </span>
              </div>
              {entry.note && (
                <p className="alert-text mt-1 whitespace-pre-wrap" data-testid="history-note">
                  {entry.note}
                </p>
              )}
              {entry.exception && (
                <details className="mt-1">
                  <summary className="cursor-pointer text-xs text-muted hover:text-fg">Falco exception</summary>
                  <pre className="mt-1 max-h-64 overflow-auto rounded bg-code p-2 font-mono text-xs">
                    {entry.exception}
                  </pre>
                </details>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
