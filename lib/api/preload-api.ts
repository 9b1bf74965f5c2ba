// Starts a page's API requests from its server-rendered HTML instead of after hydration.
import { preload } from 'react-dom';
import { withBasePath } from '../base-path';

/**
 * Called while the server renders a page, for each query the page will run: a
 * `<link rel="preload" as="fetch">` in the page's head makes the browser send the request while the
 * page's JavaScript is still loading, and fetchJson's identical request (same URL, same-origin
 * credentials) takes that answer instead of starting its own after hydration. No-op in the browser.
 */
export function preloadApi(path: string): void {
  if (typeof window === 'undefined') preload(withBasePath(path), { as: 'fetch', crossOrigin: 'anonymous', fetchPriority: 'low' });
}
