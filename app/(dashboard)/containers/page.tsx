import { ContainersPage } from '@/components/containers/containers-page';
import { requireRange, type SearchParams } from '@/lib/filters/default-range';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Containers' };

export default async function Page({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireRange('/containers', searchParams);
  return <ContainersPage />;
}
