import Link from 'next/link';
import { Suspense } from 'react';
import { withBasePath } from '@/lib/base-path';
import type { Viewer } from '@/lib/access/viewer';
import type { Theme } from '@/lib/theme';
import { ViewerMenu } from '../access/access-banner';
import { ThemeToggle } from '../ui/theme-toggle';
import { MainNav } from './main-nav';

export function AppHeader({ theme, viewer }: { theme: Theme; viewer: Viewer }) {
  return (
    <header className="sticky top-0 z-20 border-b border-border bg-surface/95 backdrop-blur">
      <div className="mx-auto flex h-14 max-w-[1800px] items-center gap-4 px-4 lg:px-6">
        {/* Not prefetched, like DataLink: a prefetch renders the page's frame on the server while the open page's data loads. */}
        <Link href="/" prefetch={false} className="flex items-center gap-2 font-semibold tracking-tight">
          <img src={withBasePath('/icon.svg')} alt="" width={24} height={24} />
          <span>Perch</span>
        </Link>
        <Suspense>
          <MainNav />
        </Suspense>
        <div className="ml-auto flex items-center gap-3">
          <Link href="/setup" prefetch={false} className="text-sm text-muted hover:text-fg">
            Connect Falco
          </Link>
          <ThemeToggle initial={theme} />
          <ViewerMenu viewer={viewer} />
        </div>
      </div>
    </header>
  );
}
