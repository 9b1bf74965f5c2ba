'use client';

import { DataLink } from '@/components/ui/data-link';
import type { EventDetail } from '@/lib/events/types';
import type { AncestryLevel } from '@/lib/falco/ancestry';
import { Panel, PanelState } from '../ui/panel';
import { ancestorHref } from './field-links';
import { LongText } from './long-text';

function levelLabel(level: number): string {
  if (level === 0) return 'process';
  if (level === 1) return 'parent';
  if (level === 2) return 'grandparent';
  return `ancestor ${level}`;
}

function Attribute({ label, value }: { label: string; value: string | number | null }) {
  if (value === null) return null;
  return (
    <div className="flex min-w-0 gap-2 text-xs">
      <dt className="w-12 shrink-0 text-muted">{label}</dt>
      <dd className="alert-text min-w-0 whitespace-pre-wrap font-mono">
        {typeof value === 'string' ? <LongText text={value} /> : value}
      </dd>
    </div>
  );
}

function Level({ event, level, isProcess }: { event: EventDetail; level: AncestryLevel; isProcess: boolean }) {
  const known = level.name !== null;
  const details = level.exepath !== null || level.cmdline !== null || level.pid !== null;
  return (
    <li className="relative pl-7" data-testid="ancestry-level" data-level={level.level}>
      {/* The node on the vertical line: filled for the alert's own process. */}
      <span
        aria-hidden
        className={`absolute top-1.5 left-[3px] h-3 w-3 rounded-full border-2 ${isProcess ? 'border-accent bg-accent' : known ? 'border-accent bg-surface' : 'border-dashed border-muted bg-surface'}`}
      />
      <div className="flex flex-wrap items-baseline gap-x-2">
        {known ? (
          <DataLink
            href={ancestorHref(event, level.name!)}
            className={`alert-text font-mono text-sm font-semibold hover:text-accent hover:underline ${isProcess ? 'text-accent' : ''}`}
            title={`Alerts whose process or ancestors include ${level.name} on this ${event.containerId && event.containerId !== 'host' ? 'container' : 'host'}`}
            data-testid="ancestry-name"
          >
            {level.name}
          </DataLink>
        ) : (
          <span className="font-mono text-sm italic text-muted" data-testid="ancestry-name">
            unknown
          </span>
        )}
        <span className="text-xs text-muted">{levelLabel(level.level)}</span>
        {level.pid !== null && <span className="font-mono text-xs text-muted tabular-nums">pid {level.pid}</span>}
      </div>
      {details && (
        <dl className="mt-1 space-y-0.5">
          <Attribute label="exe" value={level.exepath} />
          <Attribute label="cmd" value={level.cmdline} />
        </dl>
      )}
    </li>
  );
}

/** Unknown levels above the oldest known ancestor: where Falco's view of the chain ends, one row for all. */
function ChainEnd({ levels }: { levels: AncestryLevel[] }) {
  const deepest = levels[0]!.level;
  const shallowest = levels.at(-1)!.level;
  return (
    <li className="relative pl-7" data-testid="ancestry-level" data-level={deepest}>
      <span
        aria-hidden
        className="absolute top-1.5 left-[3px] h-3 w-3 rounded-full border-2 border-dashed border-muted bg-surface"
      />
      <div className="flex flex-wrap items-baseline gap-x-2">
        <span className="font-mono text-sm italic text-muted" data-testid="ancestry-name">
          unknown
        </span>
        <span className="text-xs text-muted">
          {levels.length === 1 ? levelLabel(deepest) : `ancestors ${shallowest}–${deepest}`} · Falco had no value: the
          chain ends here (init or container runtime)
        </span>
      </div>
    </li>
  );
}

/**
 * The process chain from the oldest known ancestor down to the alert's process, one level a row.
 * Unknown levels inside the chain keep their own row; those above the oldest known ancestor share one.
 */
export function AncestryChain({ event }: { event: EventDetail }) {
  const rootFirst = [...event.ancestry].reverse();
  const oldestKnown = rootFirst.findIndex((level) => level.name !== null);
  const beyond = oldestKnown > 0 ? rootFirst.slice(0, oldestKnown) : [];
  const chain = oldestKnown > 0 ? rootFirst.slice(oldestKnown) : rootFirst;
  const summary = chain.map((level) => level.name ?? 'unknown').join(' → ');
  return (
    <Panel
      title="Process ancestry"
      actions={
        chain.length > 0 && (
          <span className="text-xs text-muted">
            {chain.length} level{chain.length === 1 ? '' : 's'} · names link to their alerts
          </span>
        )
      }
    >
      {rootFirst.length === 0 ? (
        <PanelState kind="empty" message="This alert carries no process information." />
      ) : (
        <div className="p-4">
          <p className="alert-text mb-3 font-mono text-xs text-muted">{summary}</p>
          <ol
            className="relative space-y-3 before:absolute before:top-2 before:bottom-2 before:left-[8px] before:w-px before:bg-border"
            data-testid="ancestry"
          >
            {beyond.length > 0 && <ChainEnd levels={beyond} />}
            {chain.map((level) => (
              <Level key={level.level} event={event} level={level} isProcess={level.level === 0} />
            ))}
          </ol>
        </div>
      )}
    </Panel>
  );
}
