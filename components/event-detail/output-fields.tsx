'use client';

import { DataLink } from '@/components/ui/data-link';
import type { EventDetail } from '@/lib/events/types';
import { formatTimeNs } from '@/lib/falco/time';
import { Panel, PanelState } from '../ui/panel';
import { formatExactJson, type ExactJson } from './exact-json';
import { fieldFilterHref, groupFields } from './field-links';
import { LongText } from './long-text';

// Nanosecond counts Falco prints as integers; the page adds the instant they stand for.
const NANOSECOND_KEY = /^(?:evt\.(?:raw)?time(?:\.iso8601)?|.*[._]ts|.*[._][acm]time)$/;

function nanosecondHint(key: string, value: ExactJson): string | null {
  if (value.kind !== 'number' || !NANOSECOND_KEY.test(key) || !/^\d{16,19}$/.test(value.text)) return null;
  return formatTimeNs(BigInt(value.text));
}

/** A field's value as text; long values fold, and the text (not the fold button) is the filter link. */
function ValueText({ value, href }: { value: ExactJson; href: string | null }) {
  if (value.kind === 'null')
    return (
      <span className="italic text-muted" title="Falco did not know this value (<NA>)">
        null
      </span>
    );
  if (value.kind === 'string' && value.value === '') return <span className="italic text-muted">(empty)</span>;
  const text = value.kind === 'string' ? value.value : formatExactJson(value, 0);
  return (
    <LongText
      text={text}
      render={(shown) =>
        href ? (
          <DataLink href={href} className="hover:text-accent hover:underline" title="Show alerts with this value">
            {shown}
          </DataLink>
        ) : (
          shown
        )
      }
    />
  );
}

function FieldRow({ event, name, value }: { event: EventDetail; name: string; value: ExactJson }) {
  const href = fieldFilterHref(event, name, value);
  const hint = nanosecondHint(name, value);
  return (
    <tr className="border-b border-border/60 align-top last:border-0" data-testid="field-row" data-key={name}>
      {/* Keys are shown exactly, trailing spaces and brackets included. */}
      <th
        scope="row"
        className="alert-text w-[38%] whitespace-pre-wrap py-1 pr-3 text-left font-mono text-xs font-normal text-muted"
      >
        {name}
      </th>
      <td className="py-1 font-mono text-xs">
        <div className="alert-text whitespace-pre-wrap" data-testid="field-value">
          <ValueText value={value} href={href} />
        </div>
        {hint && <div className="text-muted tabular-nums">= {hint}</div>}
      </td>
    </tr>
  );
}

/** Every output_fields entry, grouped by what it describes, each value a link to its alerts. */
export function OutputFields({ event, fields }: { event: EventDetail; fields: [string, ExactJson][] }) {
  const groups = groupFields(fields);
  return (
    <Panel
      title="Fields"
      actions={
        <span className="text-xs text-muted">
          {fields.length} output field{fields.length === 1 ? '' : 's'} · values link to matching alerts
        </span>
      }
    >
      {groups.length === 0 ? (
        <PanelState kind="empty" message="This alert has no output fields." />
      ) : (
        <div className="gap-x-6 p-4 2xl:columns-2">
          {groups.map((group) => (
            <section
              key={group.id}
              aria-label={`${group.label} fields`}
              data-testid={`field-group-${group.id}`}
              className="mb-4 min-w-0 break-inside-avoid last:mb-0"
            >
              <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-muted">{group.label}</h3>
              <table className="w-full table-fixed">
                <tbody>
                  {group.entries.map(([name, value], index) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: a field name may repeat; the order never changes.
                    <FieldRow key={`${index}:${name}`} event={event} name={name} value={value} />
                  ))}
                </tbody>
              </table>
            </section>
          ))}
        </div>
      )}
    </Panel>
  );
}
