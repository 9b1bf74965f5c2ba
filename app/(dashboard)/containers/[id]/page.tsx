import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { ContainerPage } from '@/components/containers/container-page';
import { urlWithDefaultRange } from '@/lib/filters/default-range';

export const dynamic = 'force-dynamic';

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
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
  const withRange = urlWithDefaultRange(`/containers/${encodeURIComponent(id)}`, await searchParams);
  if (withRange) redirect(withRange);
  return <ContainerPage containerId={id} />;
}
