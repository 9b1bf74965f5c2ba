import type { Metadata } from 'next';
import { EventDetailPage } from '@/components/event-detail/event-detail-page';
import { ApiError } from '@/lib/api/errors';
import { getDb } from '@/lib/db/connection';
import { getEventOrThrow } from '@/lib/db/event-queries';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  if (!/^\d{1,15}$/.test(id)) return { title: 'Alert not found' };
  try {
    // The layout's template makes this `<rule> · Perch`; Next writes it as text.
    return { title: getEventOrThrow(getDb(), Number(id)).rule };
  } catch (error) {
    if (error instanceof ApiError) return { title: 'Alert not found' };
    throw error;
  }
}

export default async function Page({ params }: Props) {
  const { id } = await params;
  return <EventDetailPage id={id} />;
}
