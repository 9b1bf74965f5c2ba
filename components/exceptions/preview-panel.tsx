'use client';

import type { ExceptionPreview } from '@/lib/queries/exceptions';
import type { GroupKeyFields } from '@/lib/triage/groupings';
import { chainText, placeFields } from '../groups/group-display';
import { DataLink } from '../ui/data-link';
import { PREVIEW_RANGES, type PreviewRange } from './draft';

/** Where a group's alerts ran and its process chain, as one line. */
export function groupText(fields: GroupKeyFields | undefined): string {
  if (!fields) return '';
  const parts = placeFields(fields).map((part) => part.value);
  if (fields.chain) parts.push(chainText(fields.chain));
  return parts.join(' · ');
}

const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;

const alertsHref = (rule: string, from: string, group?: string) => {
  const params = new URLSearchParams({ from, rule });
  if (group) params.set('group', group);
  return `/events?${params.toString()}`;
};

export function RangePicker({ value, onChange }: { value: PreviewRange; onChange: (from: PreviewRange) => void }) {
  return (
    <div
      role="radiogroup"
      aria-label="Preview range"
      className="flex overflow-hidden rounded-md border border-border"
      data-testid="exception-range"
    >
      {PREVIEW_RANGES.map((range) => (
        // biome-ignore lint/a11y/useSemanticElements: a segmented control, styled as one row of buttons.
        <button
          key={range.from}
          type="button"
          role="radio"
          aria-checked={value === range.from}
          onClick={() => onChange(range.from)}
          className={`border-r border-border px-2.5 py-1 text-sm tabular-nums last:border-r-0 ${value === range.from ? 'bg-accent font-semibold text-accent-fg' : 'bg-surface text-muted hover:text-fg'}`}
        >
          {range.label}
        </button>
      ))}
    </div>
  );
}

function Count({
  label,
  value,
  hint,
  testId,
  tone,
}: {
  label: string;
  value: number;
  hint: string;
  testId: string;
  tone?: string;
}) {
  return (
    <div className="rounded-md border border-border bg-surface px-3 py-2" title={hint}>
      <div className="text-xs text-muted">{label}</div>
      <div
        className="text-2xl font-semibold tabular-nums"
        style={tone ? { color: tone } : undefined}
        data-testid={testId}
      >
        {value.toLocaleString()}
      </div>
    </div>
  );
}

/** What the draft would have silenced among the rule's stored alerts, and which groups. */
export function PreviewPanel({
  preview,
  rule,
  from,
  origin,
  ownKeys,
  described,
  stale,
}: {
  preview: ExceptionPreview;
  rule: string;
  from: PreviewRange;
  /** The group the editor was opened from, if any. */
  origin: string | null;
  /** The default grouping's groups that make up `origin`; null while not known. */
  ownKeys: ReadonlySet<string> | null;
  /** The key fields of the rule's groups, where known: a key alone tells a reader nothing. */
  described: ReadonlyMap<string, GroupKeyFields>;
  stale: boolean;
}) {
  const total = preview.matched + preview.cannotTell + preview.unmatched;
  const others = ownKeys === null ? [] : preview.groups.filter((group) => !ownKeys.has(group.key));
  const othersAlerts = others.reduce((sum, group) => sum + group.matched, 0);
  return (
    <div className={`space-y-3 transition-opacity ${stale ? 'opacity-60' : ''}`} data-testid="exception-preview">
      <div className="grid grid-cols-3 gap-2">
        <Count
          label="Would be silenced"
          value={preview.matched}
          hint="Alerts the exception matches: Falco would not have sent them."
          testId="preview-matched"
          tone="var(--accent)"
        />
        <Count
          label="Cannot tell"
          value={preview.cannotTell}
          hint="Alerts whose output_fields lack one of the exception's fields: never counted as silenced."
          testId="preview-cannot-tell"
        />
        <Count
          label="Left"
          value={preview.unmatched}
          hint="Alerts that carry every field and match no value: the rule still fires on them."
          testId="preview-left"
        />
      </div>
      <p className="text-xs text-muted" data-testid="preview-total">
        Of {plural(total, 'stored alert')} of this rule {from === 'all' ? 'ever' : `in the last ${from}`}.{' '}
        <DataLink href={alertsHref(rule, from)} className="text-accent hover:underline" data-testid="preview-rule-link">
          Open the rule’s alerts →
        </DataLink>
      </p>
      {preview.cannotTell > 0 && (
        <p className="text-xs text-muted">
          {plural(preview.cannotTell, 'alert')} of this rule lack a field the exception uses: Falco would still send
          those unless its rule output carries the field.
        </p>
      )}
      {others.length > 0 && (
        <div
          role="alert"
          className="rounded-md border-2 border-[var(--priority-critical)] px-3 py-2 text-sm"
          style={{ background: 'color-mix(in srgb, var(--priority-critical) 10%, var(--surface))' }}
          data-testid="preview-others-warning"
        >
          <strong className="text-[var(--priority-critical)]">
            Also silences {plural(others.length, 'other group')}
            {preview.truncated ? ' or more' : ''} ({plural(othersAlerts, 'alert')}).
          </strong>{' '}
          {origin
            ? 'Not only the group this exception comes from: narrow it (tick another field) unless that is what you mean.'
            : 'Narrow it (tick another field) unless that is what you mean.'}
        </div>
      )}
      <div>
        <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-muted">
          Groups it matches{preview.groups.length > 0 ? ` (${preview.groups.length.toLocaleString()})` : ''}
        </h4>
        {preview.groups.length === 0 ? (
          <p className="text-sm text-muted" data-testid="preview-no-groups">
            It matches no stored alert in this range.
          </p>
        ) : (
          <ul className="max-h-48 space-y-1 overflow-auto text-sm" data-testid="preview-groups">
            {preview.groups.map((group) => {
              const own = ownKeys?.has(group.key) ?? false;
              const text = groupText(described.get(group.key));
              return (
                <li
                  key={group.key}
                  className="grid grid-cols-[6.5rem_minmax(0,1fr)_auto] items-baseline gap-2"
                  data-testid="preview-group"
                  data-key={group.key}
                >
                  {own ? (
                    <span className="text-xs font-semibold text-[var(--live-ok)]">this group</span>
                  ) : ownKeys !== null && origin ? (
                    <span className="text-xs font-semibold text-[var(--priority-critical)]">another group</span>
                  ) : (
                    <span />
                  )}
                  <DataLink
                    href={alertsHref(rule, from, group.key)}
                    title={text ? `${group.key}: ${text}` : group.key}
                    className={`truncate text-accent hover:underline ${text ? '' : 'font-mono text-xs'}`}
                  >
                    {text || group.key}
                  </DataLink>
                  <span className="whitespace-nowrap text-right tabular-nums text-muted">
                    {plural(group.matched, 'alert')}
                  </span>
                </li>
              );
            })}
          </ul>
        )}
        {preview.truncated && <p className="mt-1 text-xs text-muted">Only the busiest groups are listed.</p>}
      </div>
    </div>
  );
}
