'use client';

// Times in the browser's zone, with the exact UTC time (to the nanosecond) on hover. The year is
// left out for this year's alerts so the time column stays narrow.
const thisYear = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});
const otherYear = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

function formatLocalTime(time: string): string {
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) return time;
  return (date.getFullYear() === new Date().getFullYear() ? thisYear : otherYear).format(date);
}

export function EventTime({ time }: { time: string }) {
  return (
    <time
      dateTime={time}
      title={time.replace('T', ' ').replace('Z', ' UTC')}
      className="whitespace-nowrap tabular-nums"
    >
      {formatLocalTime(time)}
    </time>
  );
}
