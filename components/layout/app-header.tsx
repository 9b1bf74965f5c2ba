import Link from 'next/link';
import type { Theme } from '@/lib/theme';
import { ThemeToggle } from '../ui/theme-toggle';

export function AppHeader({ theme }: { theme: Theme }) {
  return (
    <header className="border-b border-border bg-surface">
      <div className="mx-auto flex h-14 max-w-[1800px] items-center gap-6 px-4 lg:px-6">
        <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
          <img src="/icon.svg" alt="" width={24} height={24} />
          <span>Perch</span>
          <span className="hidden text-sm font-normal text-muted md:inline">Falco alerts</span>
        </Link>
        <nav className="flex items-center gap-4 text-sm text-muted" aria-label="Main">
          <Link href="/" className="hover:text-fg">Overview</Link>
        </nav>
        <div className="ml-auto">
          <ThemeToggle initial={theme} />
        </div>
      </div>
    </header>
  );
}
