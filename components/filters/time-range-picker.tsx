'use client';

import { useState } from 'react';
import { ALL_TIME } from '@/lib/filters/event-filter';
import type { useEventFilter } from '@/lib/filters/use-event-filter';

const RANGE_PRESETS = [
  { from: '15m', label: '15m' },
  { from: '1h', label: '1h' },
  { from: '6h', label: '6h' },
  { from: '24h', label: '24h' },
  { from: '7d', label: '7d' },
  { from: '30d', label: '30d' },
  { from: ALL_TIME, label: 'All' },
] as const;

/** `datetime-local` works in the browser's zone; the URL holds UTC. */
function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

const isAbsolute = (value: string | undefined) => value !== undefined && /^\d{4}-/.test(value);

export function TimeRangePicker({ state }: { state: ReturnType<typeof useEventFilter> }) {
  const { urlFilter, change } = state;
  const custom = isAbsolute(urlFilter.from) || isAbsolute(urlFilter.to);
  const [open, setOpen] = useState(custom);
  const [from, setFrom] = useState(toLocalInput(isAbsolute(urlFilter.from) ? urlFilter.from : undefined));
  const [to, setTo] = useState(toLocalInput(isAbsolute(urlFilter.to) ? urlFilter.to : undefined));

  return (
    <div className="flex flex-wrap items-center gap-2">
      {/* biome-ignore lint/a11y/useSemanticElements: a row of buttons, not a form section. */}
      <div role="group" aria-label="Time range" className="flex overflow-hidden rounded-md border border-border">
        {RANGE_PRESETS.map((preset) => {
          const active = !custom && (urlFilter.from ?? ALL_TIME) === preset.from && !urlFilter.to;
          return (
            <button
              key={preset.from}
              type="button"
              aria-pressed={active}
              onClick={() => {
                setOpen(false);
                change({ set: { from: preset.from, to: undefined } });
              }}
              className={`px-2.5 py-1 text-sm tabular-nums ${active ? 'bg-accent font-semibold text-accent-fg' : 'bg-surface text-muted hover:text-fg'} border-r border-border last:border-r-0`}
            >
              {preset.label}
            </button>
          );
        })}
        <button
          type="button"
          aria-pressed={custom}
          aria-expanded={open}
          onClick={() => setOpen(!open)}
          className={`px-2.5 py-1 text-sm ${custom ? 'bg-accent font-semibold text-accent-fg' : 'bg-surface text-muted hover:text-fg'}`}
        >
          Custom
        </button>
      </div>
      {open && (
        <form
          className="flex flex-wrap items-center gap-2 text-sm"
          onSubmit={(event) => {
            event.preventDefault();
            change({ set: { from: fromLocalInput(from) ?? ALL_TIME, to: fromLocalInput(to) } });
          }}
        >
          <label className="flex items-center gap-1 text-muted">
            From
            <input
              type="datetime-local"
              value={from}
              onChange={(e) => setFrom(e.target.value)}
              aria-label="From (local time)"
              className="rounded border border-border bg-surface px-2 py-1 text-fg"
            />
          </label>
          <label className="flex items-center gap-1 text-muted">
            to
            <input
              type="datetime-local"
              value={to}
              onChange={(e) => setTo(e.target.value)}
              aria-label="To (local time)"
              className="rounded border border-border bg-surface px-2 py-1 text-fg"
            />
          </label>
          <button type="submit" className="rounded bg-accent px-2.5 py-1 font-medium text-accent-fg">
            Apply
          </button>
        </form>
      )}
    </div>
  );
}
