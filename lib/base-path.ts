// Where Perch is served (PERCH_BASE_PATH, baked in at build time). Next's Link, router and
// redirects add it by themselves; plain fetches, EventSource, <a> and <img> need it added.
export const BASE_PATH = process.env.NEXT_PUBLIC_PERCH_BASE_PATH ?? '';

/** `/api/events?…` → `/perch/api/events?…` under a base path. */
export function withBasePath(path: string): string {
  return `${BASE_PATH}${path}`;
}
