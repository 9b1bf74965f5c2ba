'use client';

import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';

const LINKS = [
  { href: '/', label: 'Overview' },
  { href: '/events', label: 'Alerts' },
  { href: '/groups', label: 'Groups' },
  { href: '/exceptions', label: 'Exceptions' },
  { href: '/rules', label: 'Rules' },
  { href: '/containers', label: 'Containers' },
  { href: '/health', label: 'Falco health' },
] as const;

/** Main navigation; the time range travels along so switching views keeps the period in view. */
export function MainNav() {
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const range = new URLSearchParams();
  for (const key of ['from', 'to']) {
    const value = searchParams.get(key);
    if (value) range.set(key, value);
  }
  const suffix = range.size > 0 ? `?${range.toString()}` : '';
  return (
    <nav className="flex items-center gap-1 text-sm" aria-label="Main">
      {LINKS.map((link) => {
        const active = link.href === '/' ? pathname === '/' : pathname.startsWith(link.href);
        return (
          <Link
            key={link.href}
            href={`${link.href}${suffix}`}
            // Not prefetched (see DataLink): each prefetch is a server render of a page's frame,
            // sent as the page opens, competing with the data the reader is waiting for.
            prefetch={false}
            aria-current={active ? 'page' : undefined}
            className={`rounded-md px-2.5 py-1.5 ${active ? 'bg-surface-2 font-semibold text-fg' : 'text-muted hover:text-fg'}`}
          >
            {link.label}
          </Link>
        );
      })}
    </nav>
  );
}
