// The mark of an alert whose own time was more than PERCH_MAX_CLOCK_SKEW ahead of its arrival: it
// is listed, counted and retained at its arrival, and Falco's time is shown as text.
function clockAheadText(claimedTime: string): string {
  return `clock ahead: Falco said ${claimedTime}`;
}

export function ClockAheadBadge({ claimedTime }: { claimedTime: string }) {
  return (
    <span
      className="alert-text inline-flex items-center rounded px-1.5 py-0.5 font-mono text-xs"
      style={{ color: 'var(--live-warn)', boxShadow: 'inset 0 0 0 1px var(--live-warn)' }}
      title="Falco's time was too far ahead of the alert's arrival; Perch orders, counts and keeps it by its arrival"
      data-testid="clock-ahead"
    >
      {clockAheadText(claimedTime)}
    </span>
  );
}
