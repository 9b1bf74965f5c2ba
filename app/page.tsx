import { headers } from 'next/headers';
import { FirstPage } from '@/components/overview/first-page';
import { getConfig } from '@/lib/config';
import { getDb } from '@/lib/db/connection';
import { healthReport } from '@/lib/db/event-queries';

export const dynamic = 'force-dynamic';

export default async function OverviewPage() {
  const requestHeaders = await headers();
  const host = requestHeaders.get('x-forwarded-host') ?? requestHeaders.get('host') ?? 'localhost:3000';
  const protocol = requestHeaders.get('x-forwarded-proto') ?? 'http';
  const { events } = healthReport(getDb(), '');
  return <FirstPage serverUrl={`${protocol}://${host}`} tokenRequired={getConfig().ingestToken !== null} storeEmpty={events === 0} />;
}
