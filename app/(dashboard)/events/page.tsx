import { redirect } from 'next/navigation';
import { ExplorerPage } from '@/components/explorer/explorer-page';
import { urlWithDefaultRange } from '@/lib/filters/default-range';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Alerts' };

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const withRange = urlWithDefaultRange('/events', await searchParams);
  if (withRange) redirect(withRange);
  return <ExplorerPage />;
}
