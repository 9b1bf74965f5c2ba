'use client';

import { useMemo } from 'react';
import { withBasePath } from '@/lib/base-path';
import { useRulesFile } from '@/lib/queries/exceptions';
import { DataLink } from '../ui/data-link';
import { Panel, PanelState } from '../ui/panel';
import { ApiErrorText } from './api-error';
import { apiEntry, type CollectedException, useExceptionCollection } from './collection';
import { entrySummary } from './draft';

const FILE_NAME = 'perch-exceptions.yaml';

function download(text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/yaml' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = FILE_NAME;
  link.click();
  // Revoked once the download has started from it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const groupHref = (entry: CollectedException) =>
  `/events?${new URLSearchParams({ from: 'all', rule: entry.rule, group: entry.group ?? '' }).toString()}`;

const addedAt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The exceptions collected in this browser, and the one rules file they make. */
export function ExceptionsPage() {
  const { entries, remove, clear } = useExceptionCollection();
  const body = useMemo(() => entries.map(apiEntry), [entries]);
  const file = useRulesFile(body.length > 0 ? body : null);
  const text = file.data && !file.isFetching ? file.data : null;

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">Falco exceptions</h1>
        <p className="mt-1 text-sm text-muted" data-testid="exceptions-where">
          One rules file for Falco to load after the rules it extends: add it to <code>rules_files</code> in falco.yaml,
          or give it to the Falco Helm chart as <code>customRules</code>.
        </p>
      </div>

      <Panel
        title={`Collected in this browser (${entries.length.toLocaleString()})`}
        actions={
          entries.length > 0 && (
            <button
              type="button"
              onClick={() => {
                if (window.confirm('Remove every collected exception?')) clear();
              }}
              className="text-xs text-muted underline-offset-2 hover:text-fg hover:underline"
            >
              Remove all
            </button>
          )
        }
      >
        {entries.length === 0 ? (
          <div className="px-4 py-8 text-center text-sm text-muted" data-testid="exceptions-empty">
            No exceptions collected yet. On the{' '}
            <DataLink href="/groups" className="text-accent hover:underline">
              Groups
            </DataLink>{' '}
            page, unfold a group and choose “Write a Falco exception”, then “Add to rules file”.
          </div>
        ) : (
          <ol className="divide-y divide-border" data-testid="exceptions-list">
            {entries.map((entry, i) => (
              <li key={entry.id} className="flex items-start gap-3 px-4 py-3" data-testid="exceptions-entry">
                <span className="w-6 shrink-0 pt-0.5 text-right text-sm tabular-nums text-muted">{i + 1}</span>
                <div className="min-w-0 flex-1 space-y-1">
                  <p className="alert-text text-sm font-medium" data-testid="exceptions-entry-rule">
                    {entry.rule}
                  </p>
                  <p className="alert-text font-mono text-xs" data-testid="exceptions-entry-summary">
                    {entrySummary(entry)}
                  </p>
                  <p className="flex flex-wrap gap-x-3 text-xs text-muted">
                    {entry.name && <span className="font-mono">{entry.name}</span>}
                    {entry.matched !== undefined && (
                      <span>matched {entry.matched.toLocaleString()} stored alerts when added</span>
                    )}
                    {entry.group && (
                      <DataLink
                        href={groupHref(entry)}
                        title={entry.group}
                        className={`alert-text text-accent hover:underline ${entry.groupLabel ? '' : 'font-mono'}`}
                      >
                        {entry.groupLabel ? `group: ${entry.groupLabel}` : entry.group}
                      </DataLink>
                    )}
                    <time dateTime={entry.addedAt}>added {addedAt.format(new Date(entry.addedAt))}</time>
                  </p>
                </div>
                <button
                  type="button"
                  onClick={() => remove(entry.id)}
                  data-testid="exceptions-remove"
                  className="shrink-0 rounded-md border border-border px-2 py-0.5 text-xs text-muted hover:bg-surface-2 hover:text-fg"
                >
                  Remove
                </button>
              </li>
            ))}
          </ol>
        )}
      </Panel>

      {entries.length > 0 && (
        <Panel
          title={FILE_NAME}
          actions={
            <button
              type="button"
              disabled={!text}
              onClick={() => text && download(text)}
              data-testid="exceptions-download"
              className="rounded-md bg-accent px-3 py-1 text-sm font-semibold text-accent-fg hover:opacity-90 disabled:cursor-not-allowed disabled:opacity-50"
            >
              Download
            </button>
          }
        >
          <div className="p-4">
            {file.error && !file.isFetching ? (
              <ApiErrorText error={file.error} what="write the rules file" entries />
            ) : text ? (
              <pre
                className="max-h-[60vh] overflow-auto whitespace-pre rounded-md bg-code p-3 font-mono text-xs leading-5"
                data-testid="exceptions-yaml"
              >
                {text}
              </pre>
            ) : (
              <PanelState kind="loading" message="Writing the rules file…" />
            )}
            <p className="mt-2 text-xs text-muted">
              The same file from the API:{' '}
              <code className="font-mono">POST {withBasePath('/api/exceptions/rules-file')}</code> with{' '}
              <code className="font-mono">{'{"exceptions": [ … ]}'}</code>.
            </p>
          </div>
        </Panel>
      )}
    </div>
  );
}
