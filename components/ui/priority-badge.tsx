import { findPriority, URGENT_RANK, type PriorityName } from '@/lib/falco/priorities';

// A shape per priority as well as a colour, so priority never relies on colour alone.
const SHAPES: Record<number, string> = {
  0: 'M8 1 15 14H1Z', // Emergency: triangle
  1: 'M8 1 15 14H1Z', // Alert: triangle
  2: 'M8 1 15 14H1Z', // Critical: triangle
  3: 'M8 1l7 7-7 7-7-7Z', // Error: diamond
  4: 'M2 2h12v12H2Z', // Warning: square
  5: 'M8 2a6 6 0 1 1 0 12A6 6 0 0 1 8 2Z', // Notice: circle
  6: 'M8 4a4 4 0 1 1 0 8A4 4 0 0 1 8 4Z', // Informational: small circle
  7: 'M5 7h6v2H5Z', // Debug: dash
};

export function PriorityShape({ rank, className = 'h-3 w-3' }: { rank: number; className?: string }) {
  return (
    <svg viewBox="0 0 16 16" aria-hidden className={className}>
      <path d={SHAPES[rank]} fill="currentColor" />
    </svg>
  );
}

export function PriorityBadge({ priority }: { priority: PriorityName }) {
  const p = findPriority(priority)!;
  const urgent = p.rank <= URGENT_RANK;
  return (
    <span
      className={`inline-flex items-center gap-1 whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-semibold ${urgent ? 'text-white' : ''}`}
      style={urgent ? { background: p.color } : { color: p.color, boxShadow: `inset 0 0 0 1px ${p.color}` }}
      title={p.name}
    >
      <PriorityShape rank={p.rank} />
      {p.name}
    </span>
  );
}
