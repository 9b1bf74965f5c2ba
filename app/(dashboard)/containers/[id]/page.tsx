import type { Metadata } from 'next';
import { ContainerPage } from '@/components/containers/container-page';
import { requireRange, type SearchParams } from '@/lib/filters/default-range';

export const dynamic = 'force-dynamic';

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<SearchParams>;
};

// Next passes the segment still percent-encoded; a malformed escape (`%zz`) is taken literally.
async function containerIdOf(params: Props['params']): Promise<string> {
  const { id } = await params;
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const id = await containerIdOf(params);
  const hostname = (await searchParams).hostname;
  if (id === 'host') return { title: typeof hostname === 'string' ? `host ${hostname}` : 'Host processes' };
  return { title: id === '(none)' ? 'No container' : `Container ${id}` };
}

export default async function Page({ params, searchParams }: Props) {
  const id = await containerIdOf(params);
  await requireRange(`/containers/${encodeURIComponent(id)}`, searchParams);
  return <ContainerPage containerId={id} />;
}
