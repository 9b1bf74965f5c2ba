import { OverviewPage } from '@/components/overview/overview-page';
import { getConfig } from '@/lib/config';
import { storeIsEmpty } from '@/lib/events/store';
import { requireRange, type SearchParams } from '@/lib/filters/default-range';
import { requestServerUrl } from '@/lib/server-url';

export const dynamic = 'force-dynamic';

export default async function Page({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireRange('/', searchParams);
  return (
    <OverviewPage
      serverUrl={await requestServerUrl()}
      tokenRequired={getConfig().ingestToken !== null}
      storeEmpty={storeIsEmpty()}
    />
  );
}
