import { cookies, headers } from 'next/headers';
import type { ReactNode } from 'react';
import { LoginOffBanner } from '@/components/access/access-banner';
import { AppHeader } from '@/components/layout/app-header';
import { parseViewerHeader, VIEWER_HEADER } from '@/lib/access/viewer';
import { parseTheme, THEME_COOKIE } from '@/lib/theme';

// Every page people browse: header and navigation around the content. The kiosk has none.
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  // proxy.ts has already turned away anyone who may not look; this says who is looking.
  const viewer = parseViewerHeader((await headers()).get(VIEWER_HEADER)) ?? { kind: 'anyone' as const };
  return (
    <>
      {viewer.kind === 'anyone' && <LoginOffBanner />}
      <AppHeader theme={theme} viewer={viewer} />
      <main className="mx-auto max-w-[1800px] px-4 py-6 lg:px-6">{children}</main>
    </>
  );
}
