import { redirect } from 'next/navigation';
import { FalcoHealthPage } from '@/components/health/falco-health-page';
import { urlWithDefaultRange } from '@/lib/filters/default-range';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Falco health' };

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const withRange = urlWithDefaultRange('/health', await searchParams);
  if (withRange) redirect(withRange);
  return <FalcoHealthPage />;
}
