import { redirect } from 'next/navigation';
import { OverviewPage } from '@/components/overview/overview-page';
import { getConfig } from '@/lib/config';
import { getDb } from '@/lib/db/connection';
import { healthReport } from '@/lib/db/event-queries';
import { urlWithDefaultRange } from '@/lib/filters/default-range';
import { requestServerUrl } from '@/lib/server-url';

export const dynamic = 'force-dynamic';

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const withRange = urlWithDefaultRange('/', await searchParams);
  if (withRange) redirect(withRange);
  const { events } = healthReport(getDb(), '');
  return <OverviewPage serverUrl={await requestServerUrl()} tokenRequired={getConfig().ingestToken !== null} storeEmpty={events === 0} />;
}
