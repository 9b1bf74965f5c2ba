'use client';

import { useHealth } from '@/lib/queries/events';
import { PriorityCounters } from '../events/priority-counters';
import { RecentAlerts } from '../events/recent-alerts';
import { SetupHelp } from '../setup/setup-help';

export function FirstPage({ serverUrl, tokenRequired, storeEmpty }: { serverUrl: string; tokenRequired: boolean; storeEmpty: boolean }) {
  const health = useHealth();
  // The server knows on first render; afterwards the live health count decides.
  const empty = health.data ? health.data.events === 0 : storeEmpty;
  return (
    <div className="space-y-6">
      <h1 className="sr-only">Overview</h1>
      {empty && <SetupHelp serverUrl={serverUrl} tokenRequired={tokenRequired} />}
      <PriorityCounters query="from=24h" label="in the last 24 hours" />
      <RecentAlerts />
    </div>
  );
}
