import { SetupHelp } from '@/components/setup/setup-help';
import { getConfig } from '@/lib/config';
import { requestServerUrl } from '@/lib/server-url';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Connect Falco' };

export default async function Page() {
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Connect Falco</h1>
      <SetupHelp
        serverUrl={await requestServerUrl()}
        tokenRequired={getConfig().ingestToken !== null}
        title="Point Falco and falcosidekick at this server"
      />
    </div>
  );
}
