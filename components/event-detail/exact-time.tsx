'use client';

// An instant to the nanosecond: the reader's local time with Falco's fraction, and the UTC ISO text.
const dateFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: '2-digit' });
const timeFormat = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
  timeZoneName: 'short',
});

/** `May 07, 2025 · 14:50:34.502309868 CEST`: local date and time with the full fraction. */
function localTimeText(iso: string): string | null {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  const fraction = /\.(\d+)Z$/.exec(iso)?.[1];
  const parts = timeFormat.formatToParts(date);
  const clock = parts
    .map((part) => (part.type === 'second' && fraction ? `${part.value}.${fraction}` : part.value))
    .join('');
  return `${dateFormat.format(date)} · ${clock}`;
}

export function ExactTime({ iso, testId }: { iso: string; testId?: string }) {
  const local = localTimeText(iso);
  return (
    <div className="min-w-0" data-testid={testId}>
      {local && <div className="tabular-nums">{local}</div>}
      <time
        dateTime={iso}
        className="block font-mono text-xs text-muted tabular-nums"
        data-testid={testId ? `${testId}-utc` : undefined}
      >
        {iso}
      </time>
    </div>
  );
}
