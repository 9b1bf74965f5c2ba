'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { FetchError } from '@/lib/api/fetch-json';
import { isSearchable } from '@/lib/filters/event-filter';
import type { useEventFilter } from '@/lib/filters/use-event-filter';
import { summaryOptions } from '@/lib/queries/stats';

/**
 * Free text over output and field values: the words typed, next to each other and in order; a trailing `*` makes the last a prefix
 * (lib/db/filter-sql.ts). `/` anywhere on the page focuses it. A prefix too broad for the store is refused by the server
 * (lib/db/event-search.ts), which says why under the box.
 */
export function SearchBox({ state }: { state: ReturnType<typeof useEventFilter> }) {
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(state.urlFilter.q ?? '');
  const [unsearchable, setUnsearchable] = useState(false);
  useEffect(() => setText(state.urlFilter.q ?? ''), [state.urlFilter.q]);
  // The filter's summary brings the server's reason; the overview and the explorer fetch it anyway.
  const q = state.urlFilter.q?.trim();
  const { error } = useQuery({ ...summaryOptions(state.query), enabled: q?.endsWith('*') ?? false });
  const refusal = error instanceof FetchError && error.code === 'invalid_query' && text.trim() === q ? error.message : null;

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
        const q = text.trim();
        // Punctuation alone has no words to look for: say so instead of listing nothing.
        setUnsearchable(q !== '' && !isSearchable(q));
        if (q === '' || isSearchable(q)) state.change({ set: { q: q || undefined } });
      }}
    >
      <input
        ref={input}
        type="search"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setUnsearchable(false);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') input.current?.blur();
        }}
        placeholder="Search words in output and fields; end with * for a prefix (press / )"
        aria-label="Search alerts"
        aria-invalid={unsearchable || refusal !== null}
        aria-describedby={unsearchable || refusal !== null ? 'search-box-hint' : undefined}
        className="w-full rounded-md border border-border bg-surface px-3 py-1 text-sm placeholder:text-muted aria-[invalid=true]:border-[var(--priority-critical)]"
      />
      {(unsearchable || refusal !== null) && (
        <p id="search-box-hint" role="alert" className="mt-1 text-xs text-[var(--priority-critical)]">
          {unsearchable ? 'Type a word to search: punctuation only separates words.' : refusal}
        </p>
      )}
    </form>
  );
}
