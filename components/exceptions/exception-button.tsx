'use client';

import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { useRefreshTriage } from '@/lib/queries/exceptions';
import { type EditorActions, ExceptionEditor, type ExceptionOrigin } from './exception-editor';

/** "Write a Falco exception": opens the editor in a dialog over the page it is on. */
export function ExceptionButton({ origin, className = '' }: { origin: ExceptionOrigin; className?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        data-testid="exception-open"
        className={`rounded-md border border-border bg-surface px-2.5 py-1 text-sm hover:bg-surface-2 ${className}`}
      >
        Write a Falco exception
      </button>
      {open && <ExceptionDialog origin={origin} onClosed={() => setOpen(false)} />}
    </>
  );
}

function ExceptionDialog({ origin, onClosed }: { origin: ExceptionOrigin; onClosed: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const marked = useRef(false);
  const refresh = useRefreshTriage();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  const actions: EditorActions = {
    close: () => ref.current?.close(),
    marked: () => {
      marked.current = true;
    },
  };
  // The page's own shortcuts (triage keys, Escape to go back) listen on the document: not while this is open.
  const onKeyDown = (event: KeyboardEvent) => {
    event.nativeEvent.stopImmediatePropagation();
    if (event.key === 'Escape') {
      event.preventDefault();
      ref.current?.close();
    }
  };
  return (
    <dialog
      ref={ref}
      onClose={() => {
        if (marked.current) refresh();
        onClosed();
      }}
      onKeyDown={onKeyDown}
      onClick={(event) => {
        if (event.target === ref.current) ref.current?.close();
      }}
      aria-label="Write a Falco exception"
      data-testid="exception-editor"
      className="m-auto h-[92vh] w-[min(1800px,96vw)] overflow-hidden rounded-lg border border-border bg-surface p-0 text-fg shadow-2xl backdrop:bg-black/55"
    >
      <div className="flex h-full flex-col">
        <header className="flex items-start gap-3 border-b border-border px-5 py-3">
          <div className="min-w-0">
            <h2 className="text-base font-semibold">Write a Falco exception</h2>
            <p className="alert-text text-sm">
              <span className="text-muted">Rule </span>
              <span className="font-medium" data-testid="exception-rule">
                {origin.rule}
              </span>
              {origin.group && (
                <>
                  <span className="text-muted"> · group </span>
                  <span className="font-mono text-xs">{origin.group}</span>
                </>
              )}
              {origin.alert && <span className="text-muted"> · from this alert’s fields</span>}
            </p>
          </div>
          <button
            type="button"
            onClick={() => ref.current?.close()}
            aria-label="Close"
            data-testid="exception-close"
            className="ml-auto rounded-md px-2 py-1 text-lg leading-none text-muted hover:bg-surface-2 hover:text-fg"
          >
            ×
          </button>
        </header>
        <div className="min-h-0 flex-1 overflow-auto p-5 lg:overflow-hidden lg:p-0">
          <ExceptionEditor origin={origin} actions={actions} />
        </div>
      </div>
    </dialog>
  );
}
