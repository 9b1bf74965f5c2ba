import { redirect } from 'next/navigation';
import { RulesPage } from '@/components/rules/rules-page';
import { urlWithDefaultRange } from '@/lib/filters/default-range';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Rules' };

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const withRange = urlWithDefaultRange('/rules', await searchParams);
  if (withRange) redirect(withRange);
  return <RulesPage />;
}
