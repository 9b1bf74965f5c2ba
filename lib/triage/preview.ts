import 'server-only';
// What a Falco exception would have silenced among its rule's stored alerts: each alert's
// output_fields as received, compared as Falco compares them. An alert without one of the
// exception's fields cannot tell, never counts as silenced.
import { isIP, SocketAddress } from 'node:net';
import { getDb, type Db } from '../db/connection';
import {
  alertAtoms,
  atomKeys,
  exceptionWordQuery,
  outputShapes,
  ruleAlertIds,
  storedRaws,
  wordMatches,
  type ValueTest,
} from '../db/exception-candidates';
import { atomValues, groupKey } from '../db/group-atoms';
import { unpackRaw } from '../db/raw-json';
import { ruleSources } from '../db/rules';
import { InvalidQuery } from '../errors';
import { parseJson } from '../falco/json';
import { formatTimeNs } from '../falco/time';
import { EventFilter, timeBoundsNs } from '../filters/event-filter';
import { InvalidException, parseExceptions, type ExceptionValue, type FalcoException } from './exceptions';
import { fieldKind, KNOWN_SOURCES, type FieldKind } from './falco-fields';
import { formatGroupKey, groupingCoded } from './groupings';

/** The range a preview reads when the request names none. */
const PREVIEW_FROM = '30d';
// Past this many groups the answer names the busiest ones and says it left others out.
const MAX_GROUPS = 1_000;
// Alerts read between two turns of the event loop, so that ingest and other requests go on.
const READ_CHUNK = 500;
// Every alert read is compared with every tuple: a bound keeps one request from holding the server.
const MAX_TUPLES = 1_000;

interface PreviewGroup {
  /** The group under the default grouping, as `/api/groups` and `/events?group=` spell it. */
  key: string;
  matched: number;
}

export interface ExceptionPreview {
  rule: string;
  /** The range read: `from` inclusive, `to` exclusive; null for no bound (`all`). */
  from: string | null;
  to: string | null;
  /** Alerts the exception matches: Falco would not have sent them. */
  matched: number;
  /** Alerts without one of its fields in their output_fields (absent, null, `<NA>`, or a value of another kind). */
  cannotTell: number;
  /** Alerts it leaves: every field there, and no tuple matches. */
  unmatched: number;
  /** The groups of the matched alerts, most matched first. */
  groups: PreviewGroup[];
  /** More groups matched than the answer lists. */
  truncated: boolean;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// ── How a value of output_fields compares ──

/** n: number or boolean, s: non-empty string, e: empty string, a: list of strings, x: none of these. */
type ValueClass = 'n' | 's' | 'e' | 'a' | 'x';
// Falco's text for a field it had no value for (older versions; newer ones send null).
const NO_VALUE = '<NA>';
const FITTING_CLASSES: Record<FieldKind, ReadonlySet<string>> = {
  string: new Set(['n', 's', 'e']),
  number: new Set(['n', 's']),
  list: new Set(['n', 's', 'a']),
};

function valueClass(value: unknown): ValueClass | undefined {
  if (value === undefined || value === null || value === NO_VALUE) return undefined;
  if (typeof value === 'string') return value === '' ? 'e' : 's';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return 'n';
  // The writer indexes the strings of a list alone (lib/falco/alert.ts).
  if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string')) return 'a';
  return 'x';
}

/** The class of each value an alert's output_fields has, as text: all `lacks` needs, remembered per alert. */
function outputShape(fields: Json): string {
  const entries: [string, ValueClass][] = [];
  for (const key of Object.keys(fields)) {
    const kind = valueClass(fields[key]);
    if (kind !== undefined) entries.push([key, kind]);
  }
  return JSON.stringify(entries);
}

const textOf = (value: unknown): string => (typeof value === 'string' ? value : String(value));

/** A list field's items: a JSON list, or Falco's text of one, `(a,b)`; an item holding a comma reads as two. */
function listItems(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(textOf);
  const text = textOf(value);
  return text.length >= 2 && text.startsWith('(') && text.endsWith(')') ? text.slice(1, -1).split(',') : [text];
}

const INTEGER = /^[+-]?\d+$/;

/** Falco parses a number field's value as a number, and an address as an address. */
function sameNumber(stored: string, value: string): boolean {
  if (INTEGER.test(stored) && INTEGER.test(value)) return BigInt(stored) === BigInt(value);
  const family = isIP(stored);
  if (family !== 0 && family === isIP(value)) {
    const canonical = (address: string) =>
      new SocketAddress({ address, family: family === 6 ? 'ipv6' : 'ipv4' }).address;
    return canonical(stored) === canonical(value);
  }
  return stored === value;
}

// ── pmatch: whole path components, a component with `*`, `?` or `[` a glob as fnmatch reads it ──

const GLOB = /[?*[]/;
const components = (path: string) => path.split('/').filter((component) => component !== '');
// fnmatch compares bytes: one character per UTF-8 byte.
const bytesOf = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
const range = (from: string, to: string): [number, number] => [from.charCodeAt(0), to.charCodeAt(0)];
const CLASSES: Record<string, [number, number][]> = {
  alnum: [range('0', '9'), range('A', 'Z'), range('a', 'z')],
  alpha: [range('A', 'Z'), range('a', 'z')],
  blank: [range(' ', ' '), range('\t', '\t')],
  cntrl: [
    [0, 0x1f],
    [0x7f, 0x7f],
  ],
  digit: [range('0', '9')],
  graph: [[0x21, 0x7e]],
  lower: [range('a', 'z')],
  print: [[0x20, 0x7e]],
  punct: [
    [0x21, 0x2f],
    [0x3a, 0x40],
    [0x5b, 0x60],
    [0x7b, 0x7e],
  ],
  space: [range(' ', ' '), range('\t', '\r')],
  upper: [range('A', 'Z')],
  xdigit: [range('0', '9'), range('A', 'F'), range('a', 'f')],
};

/** One position of a glob: `*`, or the bytes one character may be. */
type GlobPart = 'star' | Uint8Array;

/** A bracket expression from `start` (its `[`), or null when it is not one (the `[` is literal). */
function bracket(pattern: string, start: number): { part: Uint8Array; end: number } | null {
  const set = new Uint8Array(256);
  let i = start + 1;
  const negate = pattern[i] === '!' || pattern[i] === '^';
  if (negate) i++;
  for (let first = true; i < pattern.length; first = false) {
    let char = pattern[i]!;
    if (char === ']' && !first) return { part: negate ? set.map((bit) => 1 - bit) : set, end: i };
    if (char === '[' && pattern[i + 1] === ':') {
      const close = pattern.indexOf(':]', i + 2);
      const named = close < 0 ? undefined : CLASSES[pattern.slice(i + 2, close)];
      if (named === undefined) return null;
      for (const [from, to] of named) set.fill(1, from, to + 1);
      i = close + 2;
      continue;
    }
    if (char === '\\' && i + 1 < pattern.length) char = pattern[++i]!;
    i++;
    let end = char;
    if (pattern[i] === '-' && i + 1 < pattern.length && pattern[i + 1] !== ']') {
      end = pattern[i + 1]!;
      i += 2;
      if (end === '\\' && i < pattern.length) end = pattern[i++]!;
    }
    const [from, to] = range(char, end);
    if (from <= to) set.fill(1, from, to + 1);
  }
  return null;
}

function globParts(pattern: string): GlobPart[] {
  const text = bytesOf(pattern);
  const parts: GlobPart[] = [];
  const one = (code: number) => {
    const set = new Uint8Array(256);
    set[code] = 1;
    return set;
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '*') parts.push('star');
    else if (char === '?') parts.push(new Uint8Array(256).fill(1));
    else if (char === '\\' && i + 1 < text.length) parts.push(one(text.charCodeAt(++i)));
    else if (char === '[') {
      const parsed = bracket(text, i);
      if (parsed === null) parts.push(one(char.charCodeAt(0)));
      else {
        parts.push(parsed.part);
        i = parsed.end;
      }
    } else parts.push(one(char.charCodeAt(0)));
  }
  return parts;
}

/** A test of one path component against an fnmatch pattern without flags; a star backtracks only to the last one, so it never takes long. */
function globTest(pattern: string): (component: string) => boolean {
  const parts = globParts(pattern);
  return (component) => {
    const text = bytesOf(component);
    let p = 0;
    let t = 0;
    let starP = -1;
    let starT = 0;
    while (t < text.length) {
      const part = parts[p];
      if (part === 'star') {
        starP = p++;
        starT = t;
      } else if (part !== undefined && part[text.charCodeAt(t)] === 1) {
        p++;
        t++;
      } else if (starP >= 0) {
        p = starP + 1;
        t = ++starT;
      } else return false;
    }
    while (parts[p] === 'star') p++;
    return p === parts.length;
  };
}

/** Falco's `pmatch` of one search path: its components lead the value's, `/` leads every path. */
function pathPrefix(prefix: string): (path: readonly string[]) => boolean {
  const tests = components(prefix).map((part) =>
    GLOB.test(part) ? globTest(part) : (component: string) => component === part,
  );
  return (path) => tests.length <= path.length && tests.every((test, i) => test(path[i]!));
}

// ── One exception, compiled ──

type FieldTest = (value: unknown) => boolean;

function fieldTest(kind: FieldKind, comp: FalcoException['comps'][number], value: ExceptionValue): FieldTest {
  const list = typeof value === 'string' ? [value] : value;
  if (kind === 'number') return (stored) => list.some((item) => sameNumber(textOf(stored), item));
  if (kind === 'list') {
    const set = new Set(list);
    return (stored) => listItems(stored).every((item) => set.has(item));
  }
  const one = list[0]!;
  switch (comp) {
    case '=':
      return (stored) => textOf(stored) === one;
    case 'in': {
      const set = new Set(list);
      return (stored) => set.has(textOf(stored));
    }
    case 'startswith':
      return (stored) => textOf(stored).startsWith(one);
    case 'endswith':
      return (stored) => textOf(stored).endsWith(one);
    case 'contains':
      return (stored) => textOf(stored).includes(one);
    case 'pmatch': {
      const prefixes = list.map(pathPrefix);
      return (stored) => {
        const path = components(textOf(stored));
        return prefixes.some((matches) => matches(path));
      };
    }
  }
}

interface Compiled {
  /** Each field's keys in output_fields: `proc.aname[2]` is `proc.aname_2` after falcosidekick's bracket replacer. */
  keys: readonly (readonly string[])[];
  kinds: readonly FieldKind[];
  tuples: FieldTest[][];
  /** Whether an alert of this output shape lacks one of the fields. */
  lacks: (shape: string) => boolean;
  /** Whether it holds an integer a number field is compared with as a string, whose words the word index cannot tell. */
  mustRead: (shape: string) => boolean;
}

function compile(exception: FalcoException): Compiled {
  const kinds = exception.fields.map((field) => fieldKind(exception.source, field)!);
  const keys = exception.fields.map((field) => [...new Set([field, field.replace(/\[(\d+)\]$/, '_$1')])]);
  const tuples = exception.values.map((tuple) =>
    tuple.map((value, i) => fieldTest(kinds[i]!, exception.comps[i]!, value)),
  );
  const integers = kinds.map(
    (kind, i) => kind === 'number' && exception.values.some((tuple) => [tuple[i]!].flat().some((v) => INTEGER.test(v))),
  );
  const known = new Map<string, { lacks: boolean; mustRead: boolean }>();
  const facts = (shape: string) => {
    let answer = known.get(shape);
    if (answer === undefined) {
      const classes = new Map(JSON.parse(shape) as [string, ValueClass][]);
      const fitting = (i: number) =>
        keys[i]!.map((key) => classes.get(key)).find((c) => FITTING_CLASSES[kinds[i]!].has(c ?? ''));
      answer = {
        lacks: keys.some((_, i) => fitting(i) === undefined),
        mustRead: integers.some((integer, i) => integer && fitting(i) === 's'),
      };
      known.set(shape, answer);
    }
    return answer;
  };
  return { keys, kinds, tuples, lacks: (shape) => facts(shape).lacks, mustRead: (shape) => facts(shape).mustRead };
}

/** The value of the `i`th field, from the first of its keys holding one that fits it. */
function valueAt(compiled: Compiled, fields: Json, i: number): unknown {
  const fitting = FITTING_CLASSES[compiled.kinds[i]!];
  const key = compiled.keys[i]!.find((name) => fitting.has(valueClass(fields[name]) ?? ''));
  return key === undefined ? undefined : fields[key];
}

/** Falco ORs the tuples and ANDs each tuple's fields; every field is there (see `lacks`). */
const matches = (compiled: Compiled, fields: Json) =>
  compiled.tuples.some((tuple) => tuple.every((test, i) => test(valueAt(compiled, fields, i))));

/**
 * An alert's output_fields, or an empty object when it has none. JSON.parse unless one of `needed`
 * holds an integer it would round: then the reader that keeps every digit.
 */
function outputFieldsOf(raw: string, needed: readonly string[]): Json {
  let alert: unknown;
  try {
    alert = JSON.parse(raw);
  } catch {
    return {};
  }
  let fields = isObject(alert) && isObject(alert.output_fields) ? alert.output_fields : {};
  if (needed.some((field) => typeof fields[field] === 'number' && !Number.isSafeInteger(fields[field]))) {
    const exact = parseJson(raw);
    fields = isObject(exact) && isObject(exact.output_fields) ? exact.output_fields : {};
  }
  return fields;
}

// ── The request ──

/** The one entry of a preview, checked as a rules file's entry: a rule without a stored alert takes the source its fields fit. */
function parseEntry(db: Db, entry: unknown): FalcoException {
  const rule = isObject(entry) ? entry.rule : undefined;
  const fields = isObject(entry) && Array.isArray(entry.fields) ? entry.fields : [];
  const stored = typeof rule === 'string' ? ruleSources(db, [rule]).get(rule) : undefined;
  const inferred = () =>
    KNOWN_SOURCES.find((source) =>
      fields.every((field: unknown) => typeof field === 'string' && fieldKind(source, field) !== undefined),
    ) ?? KNOWN_SOURCES[0];
  return parseExceptions({ exceptions: [entry] }, () => stored ?? inferred())[0]!;
}

function previewRange(from: unknown, to: unknown, nowMs: number) {
  const parsed = EventFilter.safeParse({ from: from ?? PREVIEW_FROM, to: to ?? 'now' });
  if (!parsed.success) {
    const issues = parsed.issues.map((issue) => ({
      field: issue.path.join('.'),
      code: issue.code,
      message: issue.message,
    }));
    throw new InvalidQuery(`Invalid range: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}.`, issues);
  }
  return timeBoundsNs(parsed.data, nowMs);
}

const MATCHED = 1;
const CANNOT_TELL = 2;
const UNMATCHED = 3;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The preview of `{ rule, fields, comps, values, from?, to? }` on `db`. Alerts whose words cannot
 * match (lib/db/exception-candidates.ts) are unmatched without being read, once the fields their
 * output_fields hold are known; those are remembered per alert.
 */
export async function previewException(db: Db, body: unknown, nowMs = Date.now()): Promise<ExceptionPreview> {
  const { from, to, ...entry } = isObject(body) ? body : { from: undefined, to: undefined };
  const exception = parseEntry(db, isObject(body) ? entry : body);
  if (exception.values.length > MAX_TUPLES)
    throw new InvalidException([
      { index: 0, field: 'values', code: 'too_big', message: `A preview takes at most ${MAX_TUPLES} tuples.` },
    ]);
  const { fromNs, toNs } = previewRange(from, to, nowMs);
  const answer: ExceptionPreview = {
    rule: exception.rule,
    from: fromNs === undefined ? null : formatTimeNs(fromNs),
    to: toNs === undefined ? null : formatTimeNs(toNs),
    matched: 0,
    cannotTell: 0,
    unmatched: 0,
    groups: [],
    truncated: false,
  };
  const ids = ruleAlertIds(db, exception.rule, fromNs, toNs);
  if (ids.length === 0) return answer;

  const compiled = compile(exception);
  const tuples: ValueTest[][] = exception.values.map((tuple) =>
    tuple.map((value, i) => ({
      comp: exception.comps[i]!,
      kind: compiled.kinds[i]!,
      values: typeof value === 'string' ? [value] : value,
    })),
  );
  const query = exceptionWordQuery(db, tuples);
  const candidates = query === null ? null : wordMatches(db, query, exception.rule);
  const shapes = outputShapes(db, exception.rule);

  const verdicts = new Uint8Array(ids.length);
  const toRead: number[] = [];
  ids.forEach((id, i) => {
    const shape = shapes.of(id);
    if (shape === undefined) toRead.push(i);
    else if (compiled.lacks(shape)) verdicts[i] = CANNOT_TELL;
    else if (candidates !== null && !candidates.has(id) && !compiled.mustRead(shape)) verdicts[i] = UNMATCHED;
    else toRead.push(i);
  });

  const learned: [number, string][] = [];
  for (let start = 0; start < toRead.length; start += READ_CHUNK) {
    if (start > 0) await nextTurn();
    const chunk = toRead.slice(start, start + READ_CHUNK);
    const chunkIds = chunk.map((i) => ids[i]!);
    const raws = new Map(storedRaws(db, chunkIds));
    for (const i of chunk) {
      const id = ids[i]!;
      const raw = raws.get(id);
      // Deleted since (retention): no longer one of the range's alerts.
      if (raw === undefined) continue;
      const fields = outputFieldsOf(unpackRaw(raw), compiled.keys.flat());
      let shape = shapes.of(id);
      if (shape === undefined) {
        shape = outputShape(fields);
        learned.push([id, shape]);
      }
      if (compiled.lacks(shape)) verdicts[i] = CANNOT_TELL;
      else if (candidates !== null && !candidates.has(id) && !compiled.mustRead(shape)) verdicts[i] = UNMATCHED;
      else verdicts[i] = matches(compiled, fields) ? MATCHED : UNMATCHED;
    }
  }
  shapes.remember(learned);
  const matched: number[] = [];
  verdicts.forEach((verdict, i) => {
    if (verdict === MATCHED) matched.push(ids[i]!);
    else if (verdict === CANNOT_TELL) answer.cannotTell++;
    else if (verdict === UNMATCHED) answer.unmatched++;
  });
  answer.matched = matched.length;
  return withGroups(db, answer, exception.rule, matched);
}

/** The groups of the matched alerts (each alert's atom read by id: every alert of the rule would cost more). */
function withGroups(db: Db, answer: ExceptionPreview, rule: string, matched: readonly number[]): ExceptionPreview {
  const groups = new Map<string, number>();
  const grouping = groupingCoded('ric')!;
  const computed = new Map<string, string>();
  // Alerts the group backfill has not reached yet: their key from the columns the writer reads.
  const keyOfColumns = (columns: string) => {
    let hex = computed.get(columns);
    if (hex === undefined) {
      const [imageRepository, hostname, processChain, userName, k8sNamespace] = JSON.parse(columns) as (
        | string
        | null
      )[];
      const values = atomValues({
        rule,
        imageRepository: imageRepository ?? null,
        hostname: hostname ?? null,
        processChain: processChain ?? null,
        userName: userName ?? null,
        k8sNamespace: k8sNamespace ?? null,
      });
      hex = groupKey(grouping, values).toString('hex');
      computed.set(columns, hex);
    }
    return hex;
  };
  for (let start = 0; start < matched.length; start += READ_CHUNK * 10) {
    const atoms = alertAtoms(db, matched.slice(start, start + READ_CHUNK * 10));
    const keys = atomKeys(db, [...new Set(atoms.flatMap(([, atomId]) => (atomId === null ? [] : [atomId])))]);
    for (const [, atomId, columns] of atoms) {
      const hex = atomId === null ? (columns === null ? undefined : keyOfColumns(columns)) : keys.get(atomId);
      if (hex === undefined) continue;
      const key = formatGroupKey(grouping.code, hex);
      groups.set(key, (groups.get(key) ?? 0) + 1);
    }
  }
  const listed = [...groups]
    .map(([key, count]) => ({ key, matched: count }))
    .sort((a, b) => b.matched - a.matched || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  answer.groups = listed.slice(0, MAX_GROUPS);
  answer.truncated = listed.length > MAX_GROUPS;
  return answer;
}

/** The preview the API answers, on the server's store. */
export const exceptionPreview = (body: unknown): Promise<ExceptionPreview> => previewException(getDb(), body);
