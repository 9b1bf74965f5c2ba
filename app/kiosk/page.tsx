import type { Metadata } from 'next';
import { KioskPage } from '@/components/kiosk/kiosk-page';
import { parseKioskConfig } from '@/lib/kiosk/kiosk-config';

export const metadata: Metadata = { title: 'Kiosk' };

export default async function Page({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const result = parseKioskConfig(await searchParams);
  if (!result.ok) {
    return (
      <main className="mx-auto max-w-3xl p-10" role="alert">
        <h1 className="text-2xl font-semibold">This kiosk link has settings Perch does not understand</h1>
        <ul className="mt-4 list-disc space-y-1 pl-6 text-lg">
          {result.problems.map((problem) => (
            <li key={problem} className="alert-text">
              {problem}
            </li>
          ))}
        </ul>
        <p className="mt-6 text-muted">
          Example: <code>/kiosk?range=24h&amp;minPriority=Warning&amp;namespace=prod&amp;rotate=20</code>
        </p>
      </main>
    );
  }
  return <KioskPage config={result.config} />;
}
