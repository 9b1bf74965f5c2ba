'use client';

import type { RefObject } from 'react';
import type { TriageStatus } from '@/lib/triage/groupings';
import { STATUS_LABELS } from './group-display';
import { Kbd } from './group-parts';

// The API's own limit (lib/triage/triage-service.ts), which a client file cannot import.
const MAX_NOTE_LENGTH = 2_000;

export interface TriageMessage {
  kind: 'done' | 'refused' | 'failed' | 'hint';
  text: string;
}

/** The statuses a reader sets, with their keys, in the order the bar shows them. */
export const TRIAGE_ACTIONS: readonly { status: TriageStatus; key: string; label: string }[] = [
  { status: 'acknowledged', key: 'a', label: 'Acknowledge' },
  { status: 'resolved', key: 'r', label: 'Resolve' },
  { status: 'benign', key: 'b', label: 'Benign' },
  { status: 'open', key: 'o', label: 'Reopen' },
];

/**
 * What a status change applies to (the selection, else the focused group), the buttons and the
 * note that goes with the next change, and what came of the last one.
 */
export function TriageBar({
  targetText,
  hasTarget,
  busy,
  noteOpen,
  note,
  noteRef,
  onNote,
  onToggleNote,
  onApply,
  onClearSelection,
  selectedCount,
  message,
  recordedAs,
}: {
  targetText: string;
  hasTarget: boolean;
  busy: boolean;
  noteOpen: boolean;
  note: string;
  noteRef: RefObject<HTMLInputElement | null>;
  onNote: (text: string) => void;
  onToggleNote: () => void;
  onApply: (status: TriageStatus) => void;
  onClearSelection: () => void;
  selectedCount: number;
  message: TriageMessage | null;
  recordedAs: string;
}) {
  return (
    <div className="sticky top-14 z-10 space-y-2 border-b border-border bg-surface px-4 py-2" data-testid="triage-bar">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="min-w-0 max-w-md truncate text-muted" data-testid="triage-target" title={targetText}>
          {targetText}
        </span>
        {selectedCount > 0 && (
          <button
            type="button"
            onClick={onClearSelection}
            className="text-xs text-muted underline-offset-2 hover:text-fg hover:underline"
          >
            Clear selection
          </button>
        )}
        <div className="ml-auto flex flex-wrap items-center gap-1.5">
          {TRIAGE_ACTIONS.map((action) => (
            <button
              key={action.status}
              type="button"
              disabled={!hasTarget || busy}
              onClick={() => onApply(action.status)}
              data-testid={`set-${action.status}`}
              title={`Set the status to ${STATUS_LABELS[action.status].toLowerCase()} (key ${action.key})`}
              className="flex items-center gap-1.5 rounded-md border border-border bg-surface px-2.5 py-1 hover:bg-surface-2 disabled:cursor-not-allowed disabled:opacity-50"
            >
              {action.label} <Kbd>{action.key}</Kbd>
            </button>
          ))}
          <button
            type="button"
            onClick={onToggleNote}
            aria-expanded={noteOpen}
            data-testid="note-toggle"
            className={`flex items-center gap-1.5 rounded-md border border-border px-2.5 py-1 hover:bg-surface-2 ${noteOpen || note ? 'bg-surface-2' : 'bg-surface'}`}
          >
            Note{note ? ' ✓' : '…'} <Kbd>n</Kbd>
          </button>
        </div>
      </div>
      {noteOpen && (
        <label className="flex items-center gap-2 text-sm">
          <span className="shrink-0 text-muted">Note</span>
          <input
            ref={noteRef}
            value={note}
            onChange={(e) => onNote(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') e.currentTarget.blur();
            }}
            maxLength={MAX_NOTE_LENGTH}
            placeholder="Why — kept with the next status change (optional)"
            data-testid="triage-note"
            className="min-w-0 flex-1 rounded-md border border-border bg-surface px-2 py-1 text-fg"
          />
        </label>
      )}
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 text-xs text-muted">
        {message ? (
          <p
            role={message.kind === 'refused' || message.kind === 'failed' ? 'alert' : 'status'}
            data-testid="triage-message"
            data-kind={message.kind}
            className={`alert-text ${
              message.kind === 'refused' || message.kind === 'failed'
                ? 'font-medium text-[var(--priority-critical)]'
                : message.kind === 'done'
                  ? 'text-[var(--live-ok)]'
                  : ''
            }`}
          >
            {message.text}
          </p>
        ) : (
          <p data-testid="triage-as">{recordedAs}</p>
        )}
        <KeyHint canTriage />
      </div>
    </div>
  );
}

export function KeyHint({ canTriage }: { canTriage: boolean }) {
  return (
    <p className="flex flex-wrap items-center gap-x-2 gap-y-1" data-testid="key-hint">
      <span>
        <Kbd>j</Kbd> <Kbd>k</Kbd> move
      </span>
      {canTriage && (
        <>
          <span>
            <Kbd>x</Kbd> <Kbd>⏎</Kbd> select
          </span>
          <span>
            <Kbd>a</Kbd> <Kbd>r</Kbd> <Kbd>b</Kbd> <Kbd>o</Kbd> status
          </span>
          <span>
            <Kbd>n</Kbd> note
          </span>
        </>
      )}
      <span>
        <Kbd>e</Kbd> details
      </span>
    </p>
  );
}
