import { FalcoHealthPage } from '@/components/health/falco-health-page';
import { requireRange, type SearchParams } from '@/lib/filters/default-range';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Falco health' };

export default async function Page({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireRange('/health', searchParams);
  return <FalcoHealthPage />;
}
