import type { Metadata } from 'next';
import { RulePage } from '@/components/rules/rule-page';
import { requireRange, type SearchParams } from '@/lib/filters/default-range';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ rule: string }>; searchParams: Promise<SearchParams> };

// Next 16 hands the page its segment still percent-encoded (`a%2Fb`) but generateMetadata the
// decoded one (`a/b`): decode exactly once, here only. A malformed escape is kept as typed.
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: (await params).rule };
}

export default async function Page({ params, searchParams }: Props) {
  const rule = decodeSegment((await params).rule);
  await requireRange(`/rules/${encodeURIComponent(rule)}`, searchParams);
  return <RulePage rule={rule} />;
}
