import { ExplorerPage } from '@/components/explorer/explorer-page';
import { requireRange, type SearchParams } from '@/lib/filters/default-range';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Alerts' };

export default async function Page({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireRange('/events', searchParams);
  return <ExplorerPage />;
}
