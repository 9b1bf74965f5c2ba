'use client';

// Times in the browser's zone, with the exact UTC time (nanoseconds) on hover.
const formatter = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
});

export function EventTime({ time }: { time: string }) {
  const date = new Date(time);
  return (
    <time dateTime={time} title={`${time.replace('T', ' ').replace('Z', ' UTC')}`} className="whitespace-nowrap tabular-nums">
      {Number.isNaN(date.getTime()) ? time : formatter.format(date)}
    </time>
  );
}
