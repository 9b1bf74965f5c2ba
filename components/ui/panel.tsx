import type { ReactNode } from 'react';

export function Panel({
  title,
  actions,
  children,
  className = '',
}: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section className={`rounded-lg border border-border bg-surface ${className}`}>
      {(title || actions) && (
        <header className="flex items-center justify-between gap-3 border-b border-border px-4 py-2.5">
          <h2 className="text-sm font-semibold">{title}</h2>
          {actions}
        </header>
      )}
      {children}
    </section>
  );
}

/** One loading / error / empty treatment for every panel. */
export function PanelState({ kind, message }: { kind: 'loading' | 'error' | 'empty'; message?: string }) {
  const text =
    message ??
    (kind === 'loading' ? 'Loading…' : kind === 'error' ? 'Could not load this panel.' : 'Nothing here yet.');
  return (
    <div
      role={kind === 'error' ? 'alert' : 'status'}
      className={`px-4 py-8 text-center text-sm ${kind === 'error' ? 'text-[var(--priority-critical)]' : 'text-muted'}`}
    >
      {text}
    </div>
  );
}
