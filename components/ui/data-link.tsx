import Link from 'next/link';
import type { ComponentProps } from 'react';

/**
 * A link to a view of the alerts. Not prefetched: pages load their data once open, so a prefetch gets
 * only the frame, and a table of links would send hundreds of server renders as it scrolls into view,
 * competing with the data the analyst is waiting for.
 */
export function DataLink({ prefetch = false, ...props }: ComponentProps<typeof Link>) {
  return <Link prefetch={prefetch} {...props} />;
}
