/**
 * A tiny inline trend of counts (oldest first), drawn as SVG bars: no chart library needed. A bar
 * whose `coverage` is below 1 counts only part of its period (the range starts or ends inside it):
 * it is drawn faded, so a period still under way does not read as a drop.
 */
export function Sparkline({
  values,
  coverage,
  titles,
  color = 'var(--accent)',
  width = 96,
  height = 24,
  label,
}: {
  values: number[];
  coverage?: readonly number[];
  /** A hover text per bar. */
  titles?: readonly string[];
  color?: string;
  width?: number;
  height?: number;
  label: string;
}) {
  const max = Math.max(1, ...values);
  const barWidth = width / Math.max(1, values.length);
  return (
    <svg width={width} height={height} role="img" aria-label={label} className="block" data-testid="sparkline">
      {values.map((value, i) => {
        const h = value === 0 ? 0 : Math.max(1.5, (value / max) * height);
        const partial = (coverage?.[i] ?? 1) < 1;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: a bar is its position on the time axis.
          <g key={i} data-testid="sparkline-bar" data-count={value} data-partial={partial ? 'true' : undefined}>
            {/* The whole bar's height is hoverable, even for a zero. */}
            <rect x={i * barWidth} y={0} width={barWidth} height={height} fill="transparent" />
            <rect
              x={i * barWidth + 0.5}
              y={height - h}
              width={Math.max(1, barWidth - 1)}
              height={h}
              fill={color}
              opacity={partial ? 0.35 : 1}
            />
            {titles?.[i] && <title>{titles[i]}</title>}
          </g>
        );
      })}
      <line x1={0} x2={width} y1={height - 0.5} y2={height - 0.5} stroke="var(--border)" />
    </svg>
  );
}
