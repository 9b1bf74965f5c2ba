import type { Metadata } from 'next';
import { EventDetailPage } from '@/components/event-detail/event-detail-page';
import { alertRule } from '@/lib/events/store';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  if (!/^\d{1,15}$/.test(id)) return { title: 'Alert not found' };
  // The layout's template makes this `<rule> · Perch`; Next writes it as text.
  return { title: alertRule(Number(id)) ?? 'Alert not found' };
}

export default async function Page({ params }: Props) {
  const { id } = await params;
  return <EventDetailPage id={id} />;
}
