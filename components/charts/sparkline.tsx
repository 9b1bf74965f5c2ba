/** A tiny inline trend of counts (oldest first), drawn as SVG bars: no chart library needed. */
export function Sparkline({ values, color = 'var(--accent)', width = 96, height = 24, label }: { values: number[]; color?: string; width?: number; height?: number; label: string }) {
  const max = Math.max(1, ...values);
  const barWidth = width / Math.max(1, values.length);
  return (
    <svg width={width} height={height} role="img" aria-label={label} className="block">
      {values.map((value, i) => {
        const h = value === 0 ? 0 : Math.max(1.5, (value / max) * height);
        return <rect key={i} x={i * barWidth + 0.5} y={height - h} width={Math.max(1, barWidth - 1)} height={h} fill={color} />;
      })}
      <line x1={0} x2={width} y1={height - 0.5} y2={height - 0.5} stroke="var(--border)" />
    </svg>
  );
}
