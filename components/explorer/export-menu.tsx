'use client';

import { withBasePath } from '@/lib/base-path';

const FORMATS = [
  { format: 'csv', label: 'CSV' },
  { format: 'ndjson', label: 'NDJSON (raw, re-importable)' },
  { format: 'json', label: 'JSON' },
] as const;

/** Downloads of every alert the filter selects, streamed by the server with no cap. */
export function ExportMenu({ query }: { query: string }) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: a row of links, not a form section.
    <div className="flex items-center gap-1 text-sm" role="group" aria-label="Export">
      <span className="text-muted">Export:</span>
      {FORMATS.map(({ format, label }) => (
        <a
          key={format}
          href={withBasePath(`/api/events/export?${query}${query ? '&' : ''}format=${format}`)}
          download
          data-testid={`export-${format}`}
          className="rounded border border-border px-2 py-0.5 text-muted hover:text-fg"
          title={`Download all matching alerts as ${label}`}
        >
          {format.toUpperCase()}
        </a>
      ))}
    </div>
  );
}
