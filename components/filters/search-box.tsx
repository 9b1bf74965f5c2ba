'use client';

import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { FetchError } from '@/lib/api/fetch-json';
import { isSearchable } from '@/lib/filters/event-filter';
import type { useEventFilter } from '@/lib/filters/use-event-filter';

/**
 * The server's reason for refusing the search `q`, from any query of the page that asked with it
 * and was turned down (400 invalid_query), or null. Every page with a search box reads with its
 * filter, so the reason comes without a request of its own.
 */
function refusalOf(client: QueryClient, q: string | undefined): string | null {
  if (!q?.endsWith('*')) return null;
  for (const query of client.getQueryCache().getAll()) {
    const { error } = query.state;
    const url = query.meta?.url;
    if (
      error instanceof FetchError &&
      error.code === 'invalid_query' &&
      typeof url === 'string' &&
      new URLSearchParams(url.split('?')[1] ?? '').get('q') === q
    ) {
      return error.message;
    }
  }
  return null;
}

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
  const q = state.urlFilter.q?.trim();
  const client = useQueryClient();
  const subscribe = useCallback((onChange: () => void) => client.getQueryCache().subscribe(onChange), [client]);
  const refused = useSyncExternalStore(
    subscribe,
    () => refusalOf(client, q),
    () => null,
  );
  const refusal = refused !== null && text.trim() === q ? refused : null;

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
    // biome-ignore lint/a11y/useSemanticElements: the role keeps the landmark where the <search> element is missing.
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
