import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import type { ReactNode } from 'react';
import { AppHeader } from '@/components/layout/app-header';
import { parseTheme, THEME_COOKIE, themeClass } from '@/lib/theme';
import { Providers } from './providers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Perch', template: '%s · Perch' },
  description: 'Browse the alerts Falco raises: timeline, rules, containers, process ancestry.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" className={themeClass(theme)}>
      <body className="min-h-screen font-sans antialiased">
        <Providers>
          <AppHeader theme={theme} />
          <main className="mx-auto max-w-[1800px] px-4 py-6 lg:px-6">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
