'use client';

import { FetchError } from '@/lib/api/fetch-json';

/** A refusal as the reader should see it: each issue of a 422 on its own line, naming its entry when there are several. */
export function ApiErrorText({ error, what, entries }: { error: Error; what: string; entries?: boolean }) {
  const issues = error instanceof FetchError ? error.issues : [];
  return (
    <div role="alert" className="alert-text text-sm text-[var(--priority-critical)]" data-testid="exception-error">
      <p>
        {issues.length > 0 ? `Falco would refuse or misread this: ` : `Could not ${what}: `}
        {issues.length > 0 ? '' : error.message}
      </p>
      {issues.length > 0 && (
        <ul className="mt-1 list-disc space-y-0.5 pl-5">
          {issues.map((issue, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the issues of one answer, never reordered.
            <li key={i}>
              {entries && issue.index !== undefined ? `Exception ${issue.index + 1}, ` : ''}
              {issue.field ? <span className="font-mono">{issue.field}</span> : null}
              {issue.field ? ': ' : ''}
              {issue.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
