'use client';

import type { StreamState } from '@/lib/live/use-alert-stream';

const LABELS: Record<StreamState, { text: string; title: string; dot: string }> = {
  connecting: { text: 'Connecting…', title: 'Opening the live stream', dot: 'border border-muted' },
  live: { text: 'Live', title: 'New alerts appear as they arrive', dot: 'bg-[var(--live-ok)]' },
  reconnecting: {
    text: 'Reconnecting…',
    title: 'The connection to Perch was lost; retrying. What arrives meanwhile will be caught up.',
    dot: 'animate-pulse bg-[var(--live-warn)]',
  },
  stale: { text: 'Stale', title: 'Connected but nothing heard for a while; reconnecting', dot: 'bg-[var(--live-bad)]' },
  refused: {
    text: 'Not live',
    title: 'Perch cannot follow this filter live (see the message on the page); change it to follow new alerts',
    dot: 'border border-[var(--live-bad)]',
  },
};

/** The live connection's state, in words as well as colour. */
export function LiveBadge({ state, size = 'small' }: { state: StreamState; size?: 'small' | 'large' }) {
  const label = LABELS[state];
  const sizing =
    size === 'large'
      ? 'gap-2 rounded-full border border-border px-3 py-1 text-lg [&>span:first-child]:size-3'
      : 'gap-1.5 text-xs';
  return (
    <span
      className={`inline-flex items-center font-medium ${state === 'live' ? 'text-muted' : 'text-fg'} ${sizing}`}
      title={label.title}
      data-testid="live-state"
      data-state={state}
      role="status"
    >
      <span aria-hidden className={`inline-block size-2 rounded-full ${label.dot}`} />
      {label.text}
    </span>
  );
}
