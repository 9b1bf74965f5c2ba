import Link from 'next/link';
import type { ComponentProps } from 'react';

/**
 * A link to a view of the alerts (a filter, an alert, a rule, a container). Not prefetched: every
 * page loads its data from the API once it is open, so a prefetch would fetch only the page's
 * frame, and a table, tree or chart of filter links would send hundreds of them as it scrolls into
 * view, each one a server render competing with the data the analyst is waiting for.
 */
export function DataLink({ prefetch = false, ...props }: ComponentProps<typeof Link>) {
  return <Link prefetch={prefetch} {...props} />;
}
