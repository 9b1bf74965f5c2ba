import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { OverviewPage } from '@/components/overview/overview-page';
import { getConfig } from '@/lib/config';
import { getDb } from '@/lib/db/connection';
import { healthReport } from '@/lib/db/event-queries';
import { urlWithDefaultRange } from '@/lib/filters/default-range';

export const dynamic = 'force-dynamic';

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const withRange = urlWithDefaultRange('/', await searchParams);
  if (withRange) redirect(withRange);
  const requestHeaders = await headers();
  const host = requestHeaders.get('x-forwarded-host') ?? requestHeaders.get('host') ?? 'localhost:3000';
  const protocol = requestHeaders.get('x-forwarded-proto') ?? 'http';
  const { events } = healthReport(getDb(), '');
  return <OverviewPage serverUrl={`${protocol}://${host}`} tokenRequired={getConfig().ingestToken !== null} storeEmpty={events === 0} />;
}
