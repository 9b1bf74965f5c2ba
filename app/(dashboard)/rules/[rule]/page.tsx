import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { RulePage } from '@/components/rules/rule-page';
import { urlWithDefaultRange } from '@/lib/filters/default-range';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ rule: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

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
  const withRange = urlWithDefaultRange(`/rules/${encodeURIComponent(rule)}`, await searchParams);
  if (withRange) redirect(withRange);
  return <RulePage rule={rule} />;
}
