'use client';

import { useQuery } from '@tanstack/react-query';
import { DataLink } from '@/components/ui/data-link';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo } from 'react';
import { FetchError } from '@/lib/api/fetch-json';
import type { EventDetail } from '@/lib/events/types';
import { findPriority, URGENT_RANK } from '@/lib/falco/priorities';
import { ruleHref } from '@/lib/filters/href';
import { eventDetailOptions } from '@/lib/queries/events';
import { ExceptionButton } from '../exceptions/exception-button';
import { Panel, PanelState } from '../ui/panel';
import { PriorityBadge } from '../ui/priority-badge';
import { AlertFacts } from './alert-facts';
import { AncestryChain } from './ancestry-chain';
import { ClockAheadBadge } from './clock-ahead';
import { LongText } from './long-text';
import { formatExactJson, memberOf, parseExactJson, type ExactJson } from './exact-json';
import { rangeFilter } from './field-links';
import { OutputFields } from './output-fields';
import { RawJson } from './raw-json';
import { RelatedAlerts } from './related-alerts';

type NavigationApi = { currentEntry?: { index: number } | null };

/** Whether this tab has an earlier page of Perch to go back to (not another site, not a blank tab). */
function canGoBack(): boolean {
  // The Navigation API lists only this origin's entries; elsewhere fall back to the history length.
  const navigation = (window as unknown as { navigation?: NavigationApi }).navigation;
  if (navigation?.currentEntry) return navigation.currentEntry.index > 0;
  return window.history.length > 1;
}

function goBack(router: ReturnType<typeof useRouter>) {
  if (canGoBack()) router.back();
  else router.push('/events');
}

/** Escape goes back where the reader came from, or to the alerts list in a fresh tab. */
function useEscapeBack() {
  const router = useRouter();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (
        event.key !== 'Escape' ||
        event.defaultPrevented ||
        event.altKey ||
        event.ctrlKey ||
        event.metaKey ||
        event.shiftKey
      )
        return;
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      goBack(router);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [router]);
}

function toExact(value: unknown): ExactJson {
  if (typeof value === 'string') return { kind: 'string', value };
  if (typeof value === 'number' || typeof value === 'bigint') return { kind: 'number', text: String(value) };
  if (typeof value === 'boolean') return { kind: 'boolean', value };
  if (Array.isArray(value)) return { kind: 'array', items: value.map(toExact) };
  if (typeof value === 'object' && value !== null)
    return { kind: 'object', entries: Object.entries(value).map(([key, item]) => [key, toExact(item)]) };
  return { kind: 'null' };
}

/**
 * output_fields read from the raw text, so integers beyond 2^53 keep every digit (the API's JSON
 * has them exact, but the browser's JSON.parse has already rounded `event.output_fields`).
 */
function useExactAlert(event: EventDetail) {
  return useMemo(() => {
    let parsed: ExactJson | null = null;
    try {
      parsed = parseExactJson(event.raw);
    } catch {
      // Unreadable here (should not happen: the server parsed it): show the text and the API's fields.
    }
    const fields = parsed && memberOf(parsed, 'output_fields');
    return {
      pretty: parsed ? formatExactJson(parsed) : event.raw,
      fields:
        fields?.kind === 'object'
          ? fields.entries
          : Object.entries(event.output_fields).map(([key, value]): [string, ExactJson] => [key, toExact(value)]),
    };
  }, [event.raw, event.output_fields]);
}

function BackBar({ id }: { id: string }) {
  const router = useRouter();
  return (
    <div className="flex items-center justify-between gap-3 text-sm">
      <button type="button" onClick={() => goBack(router)} className="text-muted hover:text-fg">
        ← Back
      </button>
      <span className="text-xs text-muted">
        Alert <span className="font-mono">#{id}</span> ·{' '}
        <kbd className="rounded border border-border px-1 font-mono">Esc</kbd> to go back
      </span>
    </div>
  );
}

function AlertHeader({ event }: { event: EventDetail }) {
  const priority = findPriority(event.priority)!;
  const urgent = priority.rank <= URGENT_RANK;
  return (
    <section
      className="overflow-hidden rounded-lg border border-border bg-surface"
      style={{
        borderLeft: `4px solid ${priority.color}`,
        ...(urgent ? { background: `color-mix(in srgb, ${priority.color} 9%, var(--surface))` } : {}),
      }}
      data-testid="alert-header"
      data-urgent={urgent}
    >
      <div className="space-y-3 px-4 py-4">
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
          <span data-testid="alert-priority">
            <PriorityBadge priority={event.priority} />
          </span>
          {urgent && (
            <span
              className="text-xs font-semibold uppercase tracking-wide"
              style={{ color: priority.color }}
              title="Critical and above are paged on"
            >
              Urgent
            </span>
          )}
          {event.internal && (
            <span className="rounded bg-surface-2 px-1.5 py-0.5 text-xs text-muted">Falco health event</span>
          )}
          {event.claimedTime !== undefined && <ClockAheadBadge claimedTime={event.claimedTime} />}
          <ExceptionButton
            origin={{ rule: event.rule, group: event.group?.key ?? null, alert: event }}
            className="ml-auto"
          />
        </div>
        <h1 className="text-xl font-semibold leading-snug">
          <DataLink
            href={ruleHref(event.rule, rangeFilter(event.time))}
            className="alert-text hover:text-accent hover:underline"
            data-testid="alert-rule"
            title="All alerts of this rule"
          >
            {event.rule}
          </DataLink>
        </h1>
        {event.output !== null ? (
          <p
            className="alert-text whitespace-pre-wrap rounded bg-code px-3 py-2 font-mono text-[13px] leading-relaxed"
            data-testid="alert-output"
          >
            <LongText text={event.output} limit={1200} />
          </p>
        ) : (
          <p className="text-sm italic text-muted">This alert has no output line.</p>
        )}
      </div>
    </section>
  );
}

function AlertDetail({ event }: { event: EventDetail }) {
  const { pretty, fields } = useExactAlert(event);
  const place = event.containerId && event.containerId !== 'host' ? 'container' : 'host';
  return (
    <div className="space-y-4" data-testid="event-detail">
      <AlertHeader event={event} />
      <div className="grid gap-4 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)] 2xl:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <div className="min-w-0 space-y-4">
          <AncestryChain event={event} />
          <OutputFields event={event} fields={fields} />
          <RawJson raw={event.raw} pretty={pretty} />
        </div>
        <div className="min-w-0 space-y-4">
          <AlertFacts event={event} />
          <RelatedAlerts event={event} place={place} />
        </div>
      </div>
    </div>
  );
}

function NotFound({ id }: { id: string }) {
  return (
    <Panel>
      <div className="px-4 py-12 text-center" data-testid="event-not-found">
        <p className="text-lg font-semibold">No alert with id {id}</p>
        <p className="mt-1 text-sm text-muted">It may have been removed by retention, or the link is wrong.</p>
        <DataLink href="/events" className="mt-4 inline-block text-sm font-medium text-accent hover:underline">
          Browse alerts →
        </DataLink>
      </div>
    </Panel>
  );
}

function LoadedDetail({ id }: { id: number }) {
  const { data, error, isPending } = useQuery({
    ...eventDetailOptions(id),
    // A missing alert stays missing: say so at once instead of retrying.
    retry: (failures, failure) => !(failure instanceof FetchError && failure.status === 404) && failures < 1,
  });
  if (isPending)
    return (
      <Panel>
        <PanelState kind="loading" message="Loading the alert…" />
      </Panel>
    );
  if (error) {
    if (error instanceof FetchError && error.status === 404) return <NotFound id={String(id)} />;
    return (
      <Panel>
        <PanelState kind="error" message={`Could not load alert ${id}: ${error.message}`} />
      </Panel>
    );
  }
  return <AlertDetail event={data} />;
}

/** One alert with everything Perch keeps about it. `id` is the URL segment, unchecked. */
export function EventDetailPage({ id }: { id: string }) {
  useEscapeBack();
  const valid = /^\d{1,15}$/.test(id);
  return (
    <div className="space-y-3">
      <BackBar id={id} />
      {valid ? <LoadedDetail id={Number(id)} /> : <NotFound id={id} />}
    </div>
  );
}
