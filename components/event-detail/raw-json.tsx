'use client';

import { useEffect, useState } from 'react';
import { Panel } from '../ui/panel';

/** Copies text; over plain HTTP on a LAN address there is no Clipboard API, so fall back to a selection. */
async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  const copied = document.execCommand('copy');
  area.remove();
  if (!copied) throw new Error('copy refused');
}

/** The alert as received: pretty-printed to read, the exact received text to copy. */
export function RawJson({ raw, pretty }: { raw: string; pretty: string }) {
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (status === 'idle') return;
    const timer = setTimeout(() => setStatus('idle'), 2_000);
    return () => clearTimeout(timer);
  }, [status]);

  const copy = () =>
    copyText(raw).then(
      () => setStatus('copied'),
      () => setStatus('failed'),
    );

  return (
    <Panel
      title="Raw JSON"
      actions={
        <div className="flex items-center gap-2">
          <span role="status" className="text-xs text-muted">
            {status === 'copied' ? 'Copied the JSON as received' : status === 'failed' ? 'Could not copy' : ''}
          </span>
          <button
            type="button"
            onClick={() => void copy()}
            className="rounded border border-border px-2 py-0.5 text-xs font-medium hover:bg-surface-2"
            data-testid="copy-raw"
          >
            Copy
          </button>
        </div>
      }
    >
      <pre
        className="alert-text max-h-[36rem] overflow-auto whitespace-pre-wrap rounded-b-lg bg-code p-4 font-mono text-xs leading-relaxed"
        data-testid="raw-json"
      >
        {pretty}
      </pre>
    </Panel>
  );
}
