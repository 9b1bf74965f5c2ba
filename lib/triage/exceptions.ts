// Falco rule exceptions as Perch writes them: checked against the fields of the rule's source and
// the operators each field takes, before any YAML exists. Every entry's faults are named by index.
import { DomainError, type ErrorIssue } from '../errors';
import { fieldKind, KNOWN_SOURCES, type FieldKind } from './falco-fields';

/** The operators Perch offers; `in` and `pmatch` take a list of values, the rest one value. */
const EXCEPTION_COMPS = ['=', 'in', 'startswith', 'endswith', 'contains', 'pmatch'] as const;
type ExceptionComp = (typeof EXCEPTION_COMPS)[number];

const LIST_COMPS = new Set<string>(['in', 'pmatch']);
const FITTING_COMPS: Record<FieldKind, ReadonlySet<string>> = {
  string: new Set(EXCEPTION_COMPS),
  number: new Set(['=', 'in']),
  list: new Set(['in']),
};
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** One value of a tuple: a string, or for `in` and `pmatch` a list of them. */
export type ExceptionValue = string | readonly string[];

/** An exception ready to write: every part checked, its name and comps filled in. */
export interface FalcoException {
  rule: string;
  source: string;
  name: string;
  fields: readonly string[];
  comps: readonly ExceptionComp[];
  values: readonly (readonly ExceptionValue[])[];
  /** The triage group it was written from, and how many stored alerts it matched, for its comment. */
  group?: string;
  matched?: number;
}

/** Exceptions Falco would refuse or misread; its issues name each entry by index. */
export class InvalidException extends DomainError {
  constructor(issues: ErrorIssue[]) {
    super('invalid_exception', `${issues.length} problem(s) in the exceptions; each issue names its entry.`, issues);
  }
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';

/**
 * Checks `{ exceptions: [...] }` as the API takes it. `sourceOf` gives a rule's source from the
 * stored alerts (undefined when no alert of it is stored); an entry's own `source` wins.
 */
export function parseExceptions(body: unknown, sourceOf: (rule: string) => string | undefined): FalcoException[] {
  const entries = isObject(body) ? body.exceptions : undefined;
  if (!Array.isArray(entries) || entries.length === 0)
    throw new InvalidException([
      { field: 'exceptions', code: 'required', message: 'exceptions must be a non-empty array.' },
    ]);
  const issues: ErrorIssue[] = [];
  const names = new Map<string, Set<string>>();
  const parsed = entries.map((entry, index) => {
    const fault = (field: string, code: string, message: string) => {
      issues.push({ index, field, code, message });
      return undefined;
    };
    if (!isObject(entry)) return fault('', 'invalid_type', 'Each exception must be an object.');
    return parseEntry(entry, sourceOf, names, fault);
  });
  if (issues.length > 0) throw new InvalidException(issues);
  return parsed as FalcoException[];
}

function parseEntry(
  entry: Json,
  sourceOf: (rule: string) => string | undefined,
  names: Map<string, Set<string>>,
  fault: (field: string, code: string, message: string) => undefined,
): FalcoException | undefined {
  const { rule, fields, values } = entry;
  if (!isText(rule)) return fault('rule', 'required', 'rule must be the name of a Falco rule.');
  const source = entry.source === undefined ? sourceOf(rule) : entry.source;
  if (!isText(source))
    return fault('source', 'unknown_source', `No stored alert of "${rule}" says its source; give source.`);
  if (!KNOWN_SOURCES.includes(source))
    return fault('source', 'unknown_source', `Perch knows the fields of ${KNOWN_SOURCES.join(' and ')} rules only.`);
  if (!Array.isArray(fields) || fields.length === 0 || !fields.every(isText))
    return fault('fields', 'invalid_type', 'fields must be a non-empty array of Falco field names.');
  const kinds = fields.map((field) => fieldKind(source, field));
  const unknown = fields.filter((_, i) => kinds[i] === undefined);
  if (unknown.length > 0)
    return fault('fields', 'unknown_field', `Not a field of ${source} rules: ${unknown.join(', ')}.`);
  const comps = entry.comps === undefined ? fields.map(() => '=') : entry.comps;
  if (!Array.isArray(comps) || comps.length !== fields.length)
    return fault('comps', 'length_mismatch', 'comps must have one operator per field.');
  for (const [i, comp] of comps.entries()) {
    if (!(EXCEPTION_COMPS as readonly unknown[]).includes(comp))
      return fault(`comps.${i}`, 'unknown_operator', `Operators are ${EXCEPTION_COMPS.join(', ')}.`);
    if (!FITTING_COMPS[kinds[i]!].has(comp as string))
      return fault(`comps.${i}`, 'operator_mismatch', `${comp} does not fit ${fields[i]}, a ${kinds[i]} field.`);
  }
  if (!Array.isArray(values) || values.length === 0)
    return fault('values', 'required', 'values must be a non-empty array of tuples, one value per field.');
  for (const [t, tuple] of values.entries()) {
    if (!Array.isArray(tuple) || tuple.length !== fields.length)
      return fault(`values.${t}`, 'length_mismatch', `Each tuple needs ${fields.length} value(s), one per field.`);
    for (const [i, value] of tuple.entries()) {
      const list = LIST_COMPS.has(comps[i] as string);
      const fits = list ? Array.isArray(value) && value.length > 0 && value.every(isText) : isText(value);
      if (!fits)
        return fault(
          `values.${t}.${i}`,
          'invalid_value',
          list ? `${comps[i]} takes a non-empty list of non-empty strings.` : 'Each value must be a non-empty string.',
        );
    }
  }
  const taken = names.get(rule) ?? new Set<string>();
  names.set(rule, taken);
  const name = entry.name === undefined ? freeName(fields, taken) : entry.name;
  if (typeof name !== 'string' || !NAME.test(name))
    return fault(
      'name',
      'invalid_name',
      'name must be an identifier: letters, digits and _, not starting with a digit.',
    );
  if (taken.has(name)) return fault('name', 'duplicate_name', `Another exception of "${rule}" is named ${name}.`);
  taken.add(name);
  const group = entry.group;
  const matched = entry.matched;
  if (group !== undefined && typeof group !== 'string')
    return fault('group', 'invalid_type', 'group must be a string.');
  if (matched !== undefined && !(Number.isSafeInteger(matched) && (matched as number) >= 0))
    return fault('matched', 'invalid_type', 'matched must be a count.');
  return {
    rule,
    source,
    name,
    fields: fields as string[],
    comps: comps as ExceptionComp[],
    values: values as ExceptionValue[][],
    ...(group === undefined ? {} : { group }),
    ...(matched === undefined ? {} : { matched: matched as number }),
  };
}

/** `perch_` and the fields' names, numbered past the names the rule already has in this file. */
function freeName(fields: readonly string[], taken: ReadonlySet<string>): string {
  const stem = `perch_${fields.map((field) => field.replace(/\[(\d+)\]$/, '$1').replace(/\W+/g, '_')).join('_')}`.slice(
    0,
    56,
  );
  for (let n = 1; ; n++) {
    const name = n === 1 ? stem : `${stem}_${n}`;
    if (!taken.has(name)) return name;
  }
}
