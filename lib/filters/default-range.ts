// Views open on the last day. The default is written into the URL (a redirect) rather than
// assumed, so the address bar always states the range and doubles as the API query.
import { redirect } from 'next/navigation';

export const DEFAULT_FROM = '24h';

export type SearchParams = Record<string, string | string[] | undefined>;

/** The URL to redirect to when a view's URL names no range, or null when it does. */
export function urlWithDefaultRange(path: string, searchParams: SearchParams): string | null {
  if (searchParams.from !== undefined || searchParams.to !== undefined) return null;
  const params = new URLSearchParams({ from: DEFAULT_FROM });
  for (const [key, value] of Object.entries(searchParams)) {
    for (const item of [value ?? []].flat()) params.append(key, item);
  }
  return `${path}?${params.toString()}`;
}

/** Redirects (by throwing, as Next's redirect does) a view whose URL names no range to the default one. */
export async function requireRange(path: string, searchParams: Promise<SearchParams>): Promise<void> {
  const withRange = urlWithDefaultRange(path, await searchParams);
  if (withRange) redirect(withRange);
}
