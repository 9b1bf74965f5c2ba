import { headers } from 'next/headers';
import { GroupsPage } from '@/components/groups/groups-page';
import { parseViewerHeader, VIEWER_HEADER } from '@/lib/access/viewer';
import { requireRange, type SearchParams } from '@/lib/filters/default-range';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Groups' };

export default async function Page({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireRange('/groups', searchParams);
  // Who is looking decides what the page offers: a view token reads, and changes go by this name.
  const viewer = parseViewerHeader((await headers()).get(VIEWER_HEADER)) ?? { kind: 'anyone' as const };
  return <GroupsPage viewer={viewer} />;
}
