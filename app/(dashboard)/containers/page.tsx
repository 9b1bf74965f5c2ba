import { redirect } from 'next/navigation';
import { ContainersPage } from '@/components/containers/containers-page';
import { urlWithDefaultRange } from '@/lib/filters/default-range';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Containers' };

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const withRange = urlWithDefaultRange('/containers', await searchParams);
  if (withRange) redirect(withRange);
  return <ContainersPage />;
}
