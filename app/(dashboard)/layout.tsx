import { cookies } from 'next/headers';
import type { ReactNode } from 'react';
import { AppHeader } from '@/components/layout/app-header';
import { parseTheme, THEME_COOKIE } from '@/lib/theme';

// Every page people browse: header and navigation around the content. The kiosk has none.
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <>
      <AppHeader theme={theme} />
      <main className="mx-auto max-w-[1800px] px-4 py-6 lg:px-6">{children}</main>
    </>
  );
}
