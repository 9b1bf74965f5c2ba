import { RulesPage } from '@/components/rules/rules-page';
import { requireRange, type SearchParams } from '@/lib/filters/default-range';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Rules' };

export default async function Page({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireRange('/rules', searchParams);
  return <RulesPage />;
}
