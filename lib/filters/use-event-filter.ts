'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { EventFilter, filterInput, filterToSearchParams } from './event-filter';
import { applyChange, EMPTY_FILTER, filterHref, type FilterChange } from './href';

/**
 * The filter a page shows, read from its URL, and how to change it. The URL is the only state:
 * reload, back/forward and a pasted link give the same view.
 */
export function useEventFilter(scope: Partial<EventFilter> = {}) {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const router = useRouter();

  const parsed = useMemo(() => EventFilter.safeParse(filterInput(searchParams)), [searchParams]);
  const urlFilter = parsed.success ? parsed.data : EMPTY_FILTER;
  const scopeKey = JSON.stringify(scope);
  // A page's own scope (the rule of /rules/[rule]) is part of every query but not of its URL.
  const filter = useMemo<EventFilter>(
    () => ({ ...urlFilter, ...(JSON.parse(scopeKey) as Partial<EventFilter>) }),
    [urlFilter, scopeKey],
  );
  const query = useMemo(() => filterToSearchParams(filter).toString(), [filter]);

  const href = useCallback(
    (...changes: FilterChange[]) => filterHref(pathname, urlFilter, ...changes),
    [pathname, urlFilter],
  );
  const change = useCallback(
    (...changes: FilterChange[]) => router.push(href(...changes), { scroll: false }),
    [router, href],
  );

  return {
    /** The filter including the page's scope: what the page's API calls use. */
    filter,
    /** The filter as the URL states it (without the page scope). */
    urlFilter,
    query,
    error: parsed.success ? null : parsed.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
    href,
    change,
    with: (changeToApply: FilterChange) => applyChange(filter, changeToApply),
  };
}
