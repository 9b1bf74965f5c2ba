'use client';

import { DataLink } from '@/components/ui/data-link';
import type { ProcessTree } from '@/lib/stats/types';
import { EventTime } from '../ui/event-time';

/**
 * Says that a process tree (or the chains counted from it) holds only the newest alerts, from
 * when, and out of how many; `narrowHref` narrows the range to exactly those alerts.
 */
export function TreeSampleNote({
  sample,
  narrowHref,
  className = '',
}: {
  sample: NonNullable<ProcessTree['sample']>;
  narrowHref: string;
  className?: string;
}) {
  return (
    <p className={`text-sm text-muted ${className}`} data-testid="tree-sample" role="note">
      Built from the newest <span className="tabular-nums">{sample.alerts.toLocaleString()}</span> alerts with process
      information, since <EventTime time={sample.since} />
      {sample.total !== null && (
        <>
          {' '}
          (of <span className="tabular-nums">{sample.total.toLocaleString()}</span> matching alerts)
        </>
      )}
      . Narrow the range to see every chain:{' '}
      <DataLink
        href={narrowHref}
        scroll={false}
        className="text-accent hover:underline"
        data-testid="tree-sample-narrow"
      >
        from that time on
      </DataLink>
      .
    </p>
  );
}
