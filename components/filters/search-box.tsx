'use client';

import { useEffect, useRef, useState } from 'react';
import type { useEventFilter } from '@/lib/filters/use-event-filter';

/** Free text over output and field values. `/` anywhere on the page focuses it. */
export function SearchBox({ state }: { state: ReturnType<typeof useEventFilter> }) {
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(state.urlFilter.q ?? '');
  useEffect(() => setText(state.urlFilter.q ?? ''), [state.urlFilter.q]);

  useEffect(() => {
    const focus = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      event.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    document.addEventListener('keydown', focus);
    return () => document.removeEventListener('keydown', focus);
  }, []);

  return (
    <form
      role="search"
      className="min-w-56 flex-1"
      onSubmit={(event) => {
        event.preventDefault();
        state.change({ set: { q: text.trim() || undefined } });
      }}
    >
      <input
        ref={input}
        type="search"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') input.current?.blur();
        }}
        placeholder="Search output and fields (press / )"
        aria-label="Search alerts"
        className="w-full rounded-md border border-border bg-surface px-3 py-1 text-sm placeholder:text-muted"
      />
    </form>
  );
}
