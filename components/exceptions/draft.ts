// The exception editor's model, pure: which fields of sample alerts are Falco fields of the rule's
// source, the values seen in them, the operators that fit, and the entry a draft makes.
import { EXCEPTION_COMPS, type ExceptionComp, type ExceptionEntry } from '@/lib/queries/exceptions';
import { fieldKind, type FieldKind } from '@/lib/triage/falco-fields';

export interface SampleAlert {
  /** Falco's time, ISO. */
  time: string;
  source: string | null;
  output_fields: Record<string, unknown>;
}

interface SeenValue {
  value: string;
  count: number;
}

export interface ProposedField {
  field: string;
  kind: FieldKind;
  /** Distinct values (list fields: items), most seen first. */
  values: SeenValue[];
  /** Samples that carry a value of it. */
  present: number;
}

/** One field of the draft: its operator and, for `in` and `pmatch`, one value a line. */
export interface FieldPick {
  field: string;
  kind: FieldKind;
  comp: ExceptionComp;
  text: string;
}

const LIST_COMPS: ReadonlySet<ExceptionComp> = new Set(['in', 'pmatch']);
export const takesList = (comp: ExceptionComp) => LIST_COMPS.has(comp);

/** The operators Falco accepts for a field of this kind (lib/triage/exceptions.ts checks the same). */
export function fittingComps(kind: FieldKind): readonly ExceptionComp[] {
  if (kind === 'number') return ['=', 'in'];
  if (kind === 'list') return ['in'];
  return EXCEPTION_COMPS;
}

// Falco's text for a field it had no value for (older versions; newer ones send null).
const NO_VALUE = '<NA>';

/** A value of output_fields as the texts an exception compares, or undefined when there is none. */
function valueTexts(value: unknown, kind: FieldKind): string[] | undefined {
  if (value === undefined || value === null || value === NO_VALUE) return undefined;
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map((item) => String(item));
  if (typeof value === 'object') return undefined;
  const text = String(value);
  if (kind === 'list' && text.length >= 2 && text.startsWith('(') && text.endsWith(')'))
    return text.slice(1, -1).split(',');
  return [text];
}

// The fields a person most often writes exceptions on come first.
const PREFERRED = [
  'proc.name',
  'proc.pname',
  'proc.exepath',
  'proc.cmdline',
  'container.image.repository',
  'k8s.ns.name',
  'user.name',
  'fd.name',
  'ka.user.name',
  'ka.target.namespace',
  'ka.verb',
];
const rank = (field: string) => {
  const at = PREFERRED.indexOf(field);
  if (at >= 0) return at;
  return field.startsWith('proc.aname[') ? PREFERRED.indexOf('proc.pname') + 0.5 : PREFERRED.length;
};

/** The rule's source as the samples say it; syscall when none says. */
export const sourceOf = (samples: readonly SampleAlert[]) =>
  samples.find((sample) => sample.source)?.source ?? 'syscall';

/** The Falco fields of `source` among the samples' output_fields, with the values seen. */
export function proposeFields(samples: readonly SampleAlert[], source: string): ProposedField[] {
  const found = new Map<string, { kind: FieldKind; counts: Map<string, number>; present: number }>();
  for (const sample of samples)
    for (const [field, value] of Object.entries(sample.output_fields ?? {})) {
      const kind = fieldKind(source, field);
      if (kind === undefined) continue;
      const texts = valueTexts(value, kind);
      let entry = found.get(field);
      if (entry === undefined) {
        entry = { kind, counts: new Map(), present: 0 };
        found.set(field, entry);
      }
      if (texts === undefined) continue;
      entry.present++;
      for (const text of new Set(texts)) entry.counts.set(text, (entry.counts.get(text) ?? 0) + 1);
    }
  return [...found]
    .map(([field, { kind, counts, present }]) => ({
      field,
      kind,
      present,
      values: [...counts]
        .map(([value, count]) => ({ value, count }))
        .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1)),
    }))
    .sort((a, b) => rank(a.field) - rank(b.field) || (a.field < b.field ? -1 : 1));
}

// Up to this many distinct values, a new pick takes them all with `in`: the exception covers the samples.
const MAX_DEFAULT_IN = 20;

/** A field newly ticked: `=` its one value, else `in` the values seen. */
export function defaultPick(proposed: ProposedField): FieldPick {
  const values = proposed.values.map((seen) => seen.value).filter((value) => value !== '');
  const { field, kind } = proposed;
  if (kind === 'list' || (values.length > 1 && values.length <= MAX_DEFAULT_IN))
    return { field, kind, comp: 'in', text: values.join('\n') };
  return { field, kind, comp: '=', text: values[0] ?? '' };
}

// Ticked when the editor opens, if every sample carries one value of it.
const FIRST_PICKS = ['proc.name', 'proc.pname', 'container.image.repository', 'ka.user.name', 'ka.verb'];

/** The picks a draft starts with: up to two fields every sample agrees on. */
export function initialPicks(proposed: readonly ProposedField[], samples: number): FieldPick[] {
  return proposed
    .filter((p) => FIRST_PICKS.includes(p.field) && p.present === samples && p.values.length === 1)
    .slice(0, 2)
    .map(defaultPick);
}

/** A pick with another operator: the values carried over, one line kept when the operator takes one. */
export function withComp(pick: FieldPick, comp: ExceptionComp): FieldPick {
  if (takesList(comp) || !pick.text.includes('\n')) return { ...pick, comp };
  return { ...pick, comp, text: pick.text.split('\n').find((line) => line !== '') ?? '' };
}

const lines = (text: string) => text.split('\n').filter((line) => line !== '');

/** What keeps the draft from being an exception, one message a field; empty when none. */
export function draftProblems(picks: readonly FieldPick[]): string[] {
  if (picks.length === 0) return ['Tick at least one field.'];
  return picks.flatMap((pick) => {
    if (takesList(pick.comp) ? lines(pick.text).length === 0 : pick.text === '')
      return [`${pick.field} needs ${takesList(pick.comp) ? 'at least one value' : 'a value'}.`];
    return [];
  });
}

/** The entry the picks make: one tuple, the fields in the order they were ticked. */
export function draftEntry(
  rule: string,
  source: string,
  picks: readonly FieldPick[],
  extra: { name?: string; group?: string } = {},
): ExceptionEntry {
  return {
    rule,
    source,
    fields: picks.map((pick) => pick.field),
    comps: picks.map((pick) => pick.comp),
    values: [picks.map((pick) => (takesList(pick.comp) ? lines(pick.text) : pick.text))],
    ...(extra.name ? { name: extra.name } : {}),
    ...(extra.group ? { group: extra.group } : {}),
  };
}

/** The entry as one line of text: `proc.name = curl, proc.pname in (bash, sh)`. */
export function entrySummary(entry: Pick<ExceptionEntry, 'fields' | 'comps' | 'values'>): string {
  return entry.values
    .map((tuple) =>
      entry.fields
        .map((field, i) => {
          const value = tuple[i];
          const text = Array.isArray(value) ? `(${value.join(', ')})` : String(value ?? '');
          return `${field} ${entry.comps[i] ?? '='} ${text}`;
        })
        .join(' and '),
    )
    .join(' or ');
}

export const PREVIEW_RANGES = [
  { from: '24h', label: '24h' },
  { from: '7d', label: '7d' },
  { from: '30d', label: '30d' },
  { from: '90d', label: '90d' },
  { from: 'all', label: 'All' },
] as const;
export type PreviewRange = (typeof PREVIEW_RANGES)[number]['from'];

const DAY_MS = 86_400_000;
const PRESET_DAYS: Partial<Record<PreviewRange, number>> = { '30d': 30, '90d': 90 };

/** The first range, from 30 days, that holds the newest sample: a preview that misses its own alerts helps nobody. */
export function rangeHolding(newest: string | undefined, nowMs = Date.now()): PreviewRange {
  const ms = newest === undefined ? Number.NaN : Date.parse(newest);
  if (Number.isNaN(ms)) return '30d';
  const found = (['30d', '90d'] as const).find((range) => nowMs - ms < PRESET_DAYS[range]! * DAY_MS - 60_000);
  return found ?? 'all';
}
