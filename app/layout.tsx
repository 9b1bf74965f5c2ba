import type { Metadata } from 'next';
import { cookies, headers } from 'next/headers';
import type { ReactNode } from 'react';
import { parseTheme, THEME_COOKIE, THEME_OVERRIDE_HEADER, themeClass } from '@/lib/theme';
import { Providers } from './providers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Perch', template: '%s · Perch' },
  description: 'Browse the alerts Falco raises: timeline, rules, containers, process ancestry.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The kiosk's theme comes from its URL (see proxy.ts); everywhere else from the reader's choice.
  const theme = parseTheme((await headers()).get(THEME_OVERRIDE_HEADER) ?? (await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" className={themeClass(theme)}>
      <body className="min-h-screen font-sans antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
