// Starts a page's API requests from its server-rendered HTML instead of after hydration.
import { preload } from 'react-dom';
import { withBasePath } from '../base-path';

/**
 * Called while the server renders a page, for each query it will run: the preload link lets the
 * browser send the request while the JavaScript loads, and fetchJson's identical request (same URL,
 * same credentials) takes that answer. No-op in the browser.
 */
export function preloadApi(path: string): void {
  if (typeof window === 'undefined')
    preload(withBasePath(path), { as: 'fetch', crossOrigin: 'anonymous', fetchPriority: 'low' });
}
