'use client';

import { useEffect, useState } from 'react';
import type { TriageStatus } from '@/lib/triage/groupings';
import { relativeTime, STATUS_LABELS } from './group-display';

// Each status has a word as well as a colour, so status never relies on colour alone.
const STATUS_COLORS: Record<TriageStatus, string> = {
  open: 'var(--accent)',
  acknowledged: 'var(--live-warn)',
  resolved: 'var(--live-ok)',
  benign: 'var(--muted)',
};

export function StatusBadge({ status }: { status: TriageStatus }) {
  const color = STATUS_COLORS[status];
  return (
    <span
      className="inline-flex items-center whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-semibold"
      style={{ color, boxShadow: `inset 0 0 0 1px ${color}` }}
      data-testid="status-badge"
    >
      {STATUS_LABELS[status]}
    </span>
  );
}

/** The current time, moving on every `everyMs` and whenever `fresh` changes (new data to tell times of). */
export function useNow(fresh: unknown, everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  // biome-ignore lint/correctness/useExhaustiveDependencies: `fresh` is the reason to read the clock again.
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs, fresh]);
  return now;
}

const exactLocal = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** A time's exact reading: in the browser's zone, then in UTC to the nanosecond. */
export function exactTime(iso: string): string {
  const ms = Date.parse(iso);
  const utc = iso.replace('T', ' ').replace('Z', ' UTC');
  return Number.isNaN(ms) ? iso : `${exactLocal.format(ms)} (${utc})`;
}

/** "5 min ago", with the exact time (and anything else worth knowing) on hover. */
export function RelativeTime({ time, now, extra }: { time: string; now: number; extra?: string }) {
  return (
    <time
      dateTime={time}
      title={extra ? `${exactTime(time)}\n${extra}` : exactTime(time)}
      className="whitespace-nowrap tabular-nums"
    >
      {relativeTime(time, now)}
    </time>
  );
}

export function Kbd({ children }: { children: string }) {
  return (
    <kbd className="rounded border border-border bg-surface px-1 font-mono text-[11px] leading-4 text-fg">
      {children}
    </kbd>
  );
}
