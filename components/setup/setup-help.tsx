'use client';

import { useState } from 'react';
import { setupSnippets } from '@/lib/setup-snippets';
import { Panel } from '../ui/panel';

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="rounded border border-border px-2 py-0.5 text-xs text-muted hover:text-fg"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        });
      }}
    >
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}

/** Exactly what to paste so alerts start arriving (on the overview while the store is empty, and at /setup). */
export function SetupHelp({
  serverUrl,
  tokenRequired,
  title = 'No alerts yet: point Falco at this server',
}: {
  serverUrl: string;
  tokenRequired: boolean;
  title?: string;
}) {
  const snippets = setupSnippets(serverUrl, tokenRequired);
  return (
    <Panel title={title} className="mb-6">
      <div className="space-y-4 p-4 text-sm" data-testid="setup-help">
        <p className="text-muted">
          Perch stores every alert Falco or falcosidekick posts to{' '}
          <code className="font-mono text-fg">{serverUrl}/api/events</code>.
          {tokenRequired
            ? ' This server requires its ingest token (PERCH_INGEST_TOKEN); put it where the placeholder is.'
            : ' Ingest is open (PERCH_INGEST_TOKEN is not set).'}{' '}
          Restart Falco after editing its configuration; alerts appear here within seconds.
        </p>
        {snippets.map((snippet) => (
          <div key={snippet.title}>
            <div className="mb-1 flex items-center justify-between gap-2">
              <h3 className="font-medium">
                {snippet.title} <span className="font-normal text-muted">({snippet.file})</span>
              </h3>
              <CopyButton text={snippet.text} />
            </div>
            <pre
              className="overflow-x-auto rounded-md bg-code p-3 font-mono text-xs leading-relaxed"
              data-testid="setup-snippet"
            >
              {snippet.text}
            </pre>
          </div>
        ))}
        <p className="text-muted">
          Or load a capture: <code className="font-mono text-fg">npm run import -- falco.ndjson</code>, or try it with
          sample data: <code className="font-mono text-fg">npm run demo</code>.
        </p>
      </div>
    </Panel>
  );
}
