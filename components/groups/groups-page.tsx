'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { Viewer } from '@/lib/access/viewer';
import { FetchError } from '@/lib/api/fetch-json';
import { withBasePath } from '@/lib/base-path';
import { filterToSearchParams } from '@/lib/filters/event-filter';
import type { FilterChange } from '@/lib/filters/href';
import { useEventFilter } from '@/lib/filters/use-event-filter';
import { useGroupPages, useSetGroupStatus } from '@/lib/queries/groups';
import {
  GROUPING_NAMES,
  GROUP_SORTS,
  type GroupingName,
  type GroupSort,
  type TriageStatus,
} from '@/lib/triage/groupings';
import { FilterBar } from '../filters/filter-bar';
import { DataLink } from '../ui/data-link';
import { Panel, PanelState } from '../ui/panel';
import {
  GROUPING_LABELS,
  keepViewParams,
  readGroupsView,
  SORT_LABELS,
  STATUS_LABELS,
  STATUS_TABS,
  type StatusTab,
  viewHref,
} from './group-display';
import { useNow } from './group-parts';
import { GroupsTable, type ListedGroup } from './groups-table';
import { KeyHint, TRIAGE_ACTIONS, TriageBar, type TriageMessage } from './triage-bar';

const EMPTY: Record<StatusTab, string> = {
  open: 'No open groups in this range: nothing waits for triage.',
  acknowledged: 'No acknowledged groups in this range.',
  resolved: 'No resolved groups in this range.',
  benign: 'No groups marked benign in this range.',
  all: 'No alerts in this range, so no groups.',
};

const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;

function messageOf(error: unknown): TriageMessage {
  if (error instanceof FetchError && error.status === 403)
    return { kind: 'refused', text: `Refused: ${error.message}` };
  if (error instanceof FetchError && error.status === 401)
    return { kind: 'refused', text: 'Your session has ended: log in again to change a status.' };
  return {
    kind: 'failed',
    text: `Could not change the status: ${error instanceof Error ? error.message : String(error)}`,
  };
}

/** Alerts folded into groups: pick a grouping and a status, work through them by keyboard or in bulk. */
export function GroupsPage({ viewer }: { viewer: Viewer }) {
  const base = useEventFilter();
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const router = useRouter();
  const params = useMemo(() => new URLSearchParams(searchParams), [searchParams]);
  const view = useMemo(() => readGroupsView(params, base.filter), [params, base.filter]);

  // The status tabs stand for `status`, so the filter bar shows no chip for it and keeps groupBy and sort.
  const state = useMemo((): ReturnType<typeof useEventFilter> => {
    const href = (...changes: FilterChange[]) => keepViewParams(base.href(...changes), view);
    return {
      ...base,
      urlFilter: { ...base.urlFilter, status: [] },
      href,
      change: (...changes: FilterChange[]) => router.push(href(...changes), { scroll: false }),
    };
  }, [base, view, router]);

  const query = useMemo(() => {
    const api = filterToSearchParams({ ...base.filter, status: [...view.statuses] });
    api.set('groupBy', view.groupBy);
    api.set('sort', view.sort);
    return api.toString();
  }, [base.filter, view]);

  const { data, error, isPending, hasNextPage, fetchNextPage, isFetchingNextPage } = useGroupPages(query);
  const rows = useMemo(() => {
    const seen = new Set<string>();
    const listed: ListedGroup[] = [];
    for (const page of data?.pages ?? [])
      for (const group of page.groups) {
        // Pages refetched after a change may overlap: keyset cursors name values, and values moved.
        if (seen.has(group.key)) continue;
        seen.add(group.key);
        listed.push({ group, trend: page.trend });
      }
    return listed;
  }, [data]);
  const complete = data?.pages.every((page) => page.complete) ?? true;
  const alerts = rows.reduce((sum, row) => sum + row.group.count, 0);
  const now = useNow(data);

  const canTriage = viewer.kind !== 'view-token';
  const [focus, setFocus] = useState<{ key: string; index: number } | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [note, setNote] = useState('');
  const [noteOpen, setNoteOpen] = useState(false);
  const [message, setMessage] = useState<TriageMessage | null>(null);
  const noteRef = useRef<HTMLInputElement>(null);
  const mutation = useSetGroupStatus();

  // Another view (grouping, filter, tab) has other groups: what was picked in this one goes.
  const [shownQuery, setShownQuery] = useState(query);
  if (shownQuery !== query) {
    setShownQuery(query);
    setFocus(null);
    setSelected(new Set());
    setExpanded(new Set());
    setMessage(null);
  }

  // A focused group that left the list (triaged out of its tab) hands focus to the one in its place.
  const foundIndex = focus ? rows.findIndex((row) => row.group.key === focus.key) : -1;
  const focusedIndex =
    focus === null || rows.length === 0 ? -1 : foundIndex >= 0 ? foundIndex : Math.min(focus.index, rows.length - 1);
  const focused = focusedIndex >= 0 ? rows[focusedIndex]!.group : null;
  const selectedKeys = rows.filter((row) => selected.has(row.group.key)).map((row) => row.group.key);
  const targets = selectedKeys.length > 0 ? selectedKeys : focused ? [focused.key] : [];

  const focusKey = (key: string) => setFocus({ key, index: rows.findIndex((row) => row.group.key === key) });
  const toggle = (set: ReadonlySet<string>, key: string) => {
    const next = new Set(set);
    if (!next.delete(key)) next.add(key);
    return next;
  };
  const viewOnlyText = `the view token “${viewer.kind === 'view-token' ? viewer.name : ''}” may read the groups but not change their status. Log in as a user to triage.`;

  const apply = (status: TriageStatus) => {
    if (!canTriage) return setMessage({ kind: 'refused', text: `Refused: ${viewOnlyText}` });
    if (targets.length === 0)
      return setMessage({ kind: 'hint', text: 'Select groups first, or move to one with j and k.' });
    const text = note.trim();
    const count = targets.length;
    mutation.mutate(
      { groups: targets, status, ...(text !== '' && { note: text }) },
      {
        onSuccess: (answer) => {
          const by = answer.groups[0]?.status.setBy ?? 'you';
          setMessage({
            kind: 'done',
            text: `${plural(count, 'group')} set to ${STATUS_LABELS[status].toLowerCase()}${text ? ' with the note' : ''}, recorded as ${by}.`,
          });
          setNote('');
          setNoteOpen(false);
          setSelected(new Set());
        },
        onError: (failure) => setMessage(messageOf(failure)),
      },
    );
  };

  const openNote = () => {
    if (!canTriage) return setMessage({ kind: 'refused', text: `Refused: ${viewOnlyText}` });
    flushSync(() => setNoteOpen(true));
    noteRef.current?.focus();
  };

  const move = (step: 1 | -1) => {
    if (rows.length === 0) return;
    const index = focusedIndex < 0 ? 0 : Math.min(rows.length - 1, Math.max(0, focusedIndex + step));
    setFocus({ key: rows[index]!.group.key, index });
    if (step === 1 && focusedIndex === rows.length - 1 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  };

  const onKey = useRef<(event: KeyboardEvent) => void>(() => {});
  onKey.current = (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target instanceof Element ? event.target : null;
    if (target?.closest('input:not([type="checkbox"]), textarea, select, [contenteditable="true"]')) return;
    // Links, buttons and checkboxes answer Enter themselves.
    if (event.key === 'Enter' && target?.closest('a, button, summary, input')) return;
    const action = TRIAGE_ACTIONS.find((a) => a.key === event.key);
    if (event.key === 'j') move(1);
    else if (event.key === 'k') move(-1);
    else if (action) apply(action.status);
    else if (event.key === 'n') openNote();
    else if ((event.key === 'x' || event.key === 'Enter') && focused && canTriage)
      setSelected((current) => toggle(current, focused.key));
    else if (event.key === 'e' && focused) setExpanded((current) => toggle(current, focused.key));
    else if (event.key === 'Escape' && selected.size > 0) setSelected(new Set());
    else return;
    event.preventDefault();
  };
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKey.current(event);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);

  const targetText =
    selectedKeys.length > 0
      ? `${plural(selectedKeys.length, 'group')} selected`
      : focused
        ? `Focused: ${focused.fields.rule}`
        : 'Select groups, or move to one with j and k';
  const recordedAs =
    viewer.kind === 'anyone'
      ? 'Login is off: status changes are recorded as “anonymous”.'
      : `Status changes are recorded as ${viewer.kind === 'user' ? viewer.name : ''}.`;

  const pick = (change: { groupBy: GroupingName } | { sort: GroupSort }) =>
    router.push(viewHref(pathname, params, change), { scroll: false });

  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">
        Groups{' '}
        {data && (
          <span className="text-base font-normal text-muted tabular-nums" data-testid="groups-summary">
            {plural(rows.length, 'group')}
            {hasNextPage ? ' shown, more to load' : ''} · {plural(alerts, 'alert')}
          </span>
        )}
      </h1>
      <FilterBar state={state} triage={false} />
      {!complete && (
        <p
          role="status"
          data-testid="groups-incomplete"
          className="rounded-md border border-[var(--live-warn)] bg-[var(--fresh-bg)] px-3 py-2 text-sm"
        >
          Perch is still sorting older alerts into groups after an upgrade: counts and groups may be short until it
          finishes.
        </p>
      )}
      <Panel
        title={
          <span role="tablist" aria-label="Status" className="flex flex-wrap gap-1" data-testid="status-tabs">
            {STATUS_TABS.map((tab) => (
              <DataLink
                key={tab}
                role="tab"
                aria-selected={view.tab === tab}
                href={viewHref(pathname, params, { tab })}
                scroll={false}
                data-testid={`tab-${tab}`}
                className={`rounded px-2 py-0.5 ${view.tab === tab ? 'bg-surface-2 font-semibold' : 'font-normal text-muted hover:text-fg'}`}
              >
                {tab === 'all' ? 'All' : STATUS_LABELS[tab]}
              </DataLink>
            ))}
          </span>
        }
        actions={
          <div className="flex flex-wrap items-center justify-end gap-3 text-sm">
            <label className="flex items-center gap-1.5 text-muted">
              Group by
              <select
                value={view.groupBy}
                onChange={(e) => pick({ groupBy: e.target.value as GroupingName })}
                data-testid="group-by"
                className="rounded-md border border-border bg-surface px-2 py-1 text-fg"
              >
                {GROUPING_NAMES.map((name) => (
                  <option key={name} value={name}>
                    {GROUPING_LABELS[name]}
                  </option>
                ))}
              </select>
            </label>
            <label className="flex items-center gap-1.5 text-muted">
              Sort
              <select
                value={view.sort}
                onChange={(e) => pick({ sort: e.target.value as GroupSort })}
                data-testid="group-sort"
                className="rounded-md border border-border bg-surface px-2 py-1 text-fg"
              >
                {GROUP_SORTS.map((sort) => (
                  <option key={sort} value={sort}>
                    {SORT_LABELS[sort]}
                  </option>
                ))}
              </select>
            </label>
          </div>
        }
      >
        {rows.length === 0 && message === null ? null : canTriage ? (
          <TriageBar
            targetText={targetText}
            hasTarget={targets.length > 0}
            busy={mutation.isPending}
            noteOpen={noteOpen}
            note={note}
            noteRef={noteRef}
            onNote={setNote}
            onToggleNote={() => (noteOpen ? setNoteOpen(false) : openNote())}
            onApply={apply}
            onClearSelection={() => setSelected(new Set())}
            selectedCount={selectedKeys.length}
            message={message}
            recordedAs={recordedAs}
          />
        ) : (
          <div className="flex flex-wrap items-center justify-between gap-2 border-b border-border px-4 py-2 text-xs text-muted">
            <p
              role={message ? 'alert' : 'note'}
              data-testid="view-only"
              className={message ? 'font-medium text-[var(--priority-critical)]' : ''}
            >
              {message ? message.text : `View only: ${viewOnlyText}`}
            </p>
            <KeyHint canTriage={false} />
          </div>
        )}
        {isPending ? (
          <PanelState kind="loading" />
        ) : error ? (
          <PanelState kind="error" message={`Could not load the groups: ${error.message}`} />
        ) : rows.length === 0 ? (
          <PanelState
            kind="empty"
            message={view.tab ? EMPTY[view.tab] : 'No groups with these statuses in this range.'}
          />
        ) : (
          <GroupsTable
            rows={rows}
            filter={base.filter}
            now={now}
            canTriage={canTriage}
            focusedKey={focused?.key ?? null}
            selected={selected}
            expanded={expanded}
            onFocus={focusKey}
            onToggleSelect={(key) => {
              focusKey(key);
              setSelected((current) => toggle(current, key));
            }}
            onSelectAll={(select) => setSelected(select ? new Set(rows.map((row) => row.group.key)) : new Set())}
            onToggleExpand={(key) => {
              focusKey(key);
              setExpanded((current) => toggle(current, key));
            }}
          />
        )}
        <footer className="flex flex-wrap items-center justify-between gap-2 border-t border-border px-4 py-2 text-xs text-muted">
          <span>
            {hasNextPage && (
              <button
                type="button"
                onClick={() => void fetchNextPage()}
                disabled={isFetchingNextPage}
                data-testid="load-more"
                className="rounded-md border border-border bg-surface px-3 py-1 text-sm text-fg hover:bg-surface-2 disabled:opacity-50"
              >
                {isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            )}
          </span>
          <span className="flex items-center gap-1.5">
            Triage log:
            {(['csv', 'ndjson'] as const).map((format) => (
              <a
                key={format}
                href={withBasePath(`/api/groups/triage-log?format=${format}`)}
                download
                data-testid={`triage-log-${format}`}
                className="rounded border border-border px-2 py-0.5 hover:text-fg"
                title={`Download every status change as ${format.toUpperCase()}`}
              >
                {format.toUpperCase()}
              </a>
            ))}
          </span>
        </footer>
      </Panel>
    </div>
  );
}
