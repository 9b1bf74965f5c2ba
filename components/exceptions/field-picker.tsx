'use client';

import type { ExceptionComp } from '@/lib/queries/exceptions';
import { defaultPick, type FieldPick, fittingComps, type ProposedField, takesList, withComp } from './draft';

const SHOWN_VALUES = 5;

/** The Falco fields the samples carry: tick one to use it, pick its operator, edit its values. */
export function FieldPicker({
  proposed,
  samples,
  picks,
  onPicks,
}: {
  proposed: readonly ProposedField[];
  samples: number;
  picks: readonly FieldPick[];
  onPicks: (picks: FieldPick[]) => void;
}) {
  const pickOf = (field: string) => picks.find((pick) => pick.field === field);
  const update = (next: FieldPick) => onPicks(picks.map((pick) => (pick.field === next.field ? next : pick)));
  const toggle = (field: ProposedField) =>
    onPicks(pickOf(field.field) ? picks.filter((p) => p.field !== field.field) : [...picks, defaultPick(field)]);

  return (
    <ul className="divide-y divide-border" data-testid="exception-fields">
      {proposed.map((field) => {
        const pick = pickOf(field.field);
        const missing = samples - field.present;
        return (
          <li key={field.field} className="py-2.5" data-testid="exception-field" data-field={field.field}>
            <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
              <label className="flex min-w-0 items-center gap-2 font-mono text-sm">
                <input
                  type="checkbox"
                  checked={pick !== undefined}
                  onChange={() => toggle(field)}
                  data-testid="exception-field-use"
                  className="size-4 accent-[var(--accent)]"
                />
                <span className={pick ? 'font-semibold' : ''}>{field.field}</span>
              </label>
              <span className="text-xs text-muted">
                {[
                  field.kind === 'string' ? '' : field.kind,
                  samples === 1
                    ? ''
                    : missing > 0
                      ? `in ${field.present.toLocaleString()} of ${samples.toLocaleString()} samples`
                      : 'in every sample',
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
              {pick && (
                <select
                  value={pick.comp}
                  onChange={(e) => update(withComp(pick, e.target.value as ExceptionComp))}
                  aria-label={`Operator for ${field.field}`}
                  data-testid="exception-field-comp"
                  className="ml-auto rounded-md border border-border bg-surface px-2 py-1 font-mono text-sm"
                >
                  {fittingComps(field.kind).map((comp) => (
                    <option key={comp} value={comp}>
                      {comp}
                    </option>
                  ))}
                </select>
              )}
            </div>
            {pick && (
              <div className="mt-1.5 pl-6">
                {takesList(pick.comp) ? (
                  <textarea
                    value={pick.text}
                    onChange={(e) => update({ ...pick, text: e.target.value })}
                    rows={Math.min(6, Math.max(2, pick.text.split('\n').length))}
                    aria-label={`Values for ${field.field}, one a line`}
                    placeholder="One value a line"
                    data-testid="exception-field-values"
                    className="w-full rounded-md border border-border bg-surface px-2 py-1 font-mono text-xs leading-5"
                  />
                ) : (
                  <input
                    value={pick.text}
                    onChange={(e) => update({ ...pick, text: e.target.value })}
                    aria-label={`Value for ${field.field}`}
                    data-testid="exception-field-value"
                    className="w-full rounded-md border border-border bg-surface px-2 py-1 font-mono text-xs leading-5"
                  />
                )}
              </div>
            )}
            {field.values.length > 0 && (
              <div className="mt-1.5 flex flex-wrap gap-1.5 pl-6" data-testid="exception-field-seen">
                {field.values.slice(0, SHOWN_VALUES).map((seen) => (
                  <button
                    key={seen.value}
                    type="button"
                    title={pick ? `Use ${seen.value}` : seen.value}
                    disabled={!pick}
                    onClick={() => {
                      if (!pick) return;
                      const current = pick.text.split('\n').filter((line) => line !== '');
                      if (!takesList(pick.comp)) update({ ...pick, text: seen.value });
                      else if (!current.includes(seen.value))
                        update({ ...pick, text: [...current, seen.value].join('\n') });
                    }}
                    className="flex max-w-full items-center gap-1 rounded border border-border bg-code px-1.5 py-0.5 text-left font-mono text-xs enabled:hover:border-accent disabled:cursor-default"
                  >
                    <span className="alert-text line-clamp-2">{seen.value === '' ? '(empty)' : seen.value}</span>
                    {samples > 1 && (
                      <span className="shrink-0 text-muted tabular-nums">×{seen.count.toLocaleString()}</span>
                    )}
                  </button>
                ))}
                {field.values.length > SHOWN_VALUES && (
                  <span className="self-center text-xs text-muted">
                    +{(field.values.length - SHOWN_VALUES).toLocaleString()} more
                  </span>
                )}
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
