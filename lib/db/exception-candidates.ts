import 'server-only';
// The stored alerts an exception preview reads (lib/triage/preview.ts): a rule's alerts in a range,
// the word index's candidates for the exception's values, their JSON as received, their groups,
// and the shape of each alert's output_fields, remembered since a stored alert never changes.
import { withoutPrivateUse } from '../falco/alert';
import { EventFilter } from '../filters/event-filter';
import type { FieldKind } from '../triage/falco-fields';
import type { Db } from './connection';
import { MAX_PREFIX_PAGES, prefixListPages } from './event-search';
import { facetQuery, facetsReady } from './facets';
import { prepared } from './statements';

/** An exception's operators, as lib/triage/exceptions.ts checks them. */
export type ExceptionComp = '=' | 'in' | 'startswith' | 'endswith' | 'contains' | 'pmatch';

/** One field's comparison in one tuple: its operator, its field's kind and the value(s) it takes. */
export interface ValueTest {
  comp: ExceptionComp;
  kind: FieldKind;
  values: readonly string[];
}

// The word index (migration 0005) splits words at every ASCII character but a letter or digit; how
// it splits at others is its own Unicode tables', so pieces are cut at ASCII only (text is lower-cased).
const ASCII_SEPARATORS = /[^0-9a-z\u0080-\uffff]+/;
const ASCII_SEPARATOR = /^[^0-9a-z\u0080-\uffff]$/;
const ASCII_WORD = /[0-9a-z]/;
const ASCII_WORD_ONLY = /^[0-9a-z]+$/;
const GLOB = /[?*[]/;
// A phrase's first pieces already narrow; more make the query longer, not the candidates fewer.
const MAX_PHRASE_PIECES = 32;
// Past this many phrases a query costs more to run than it saves.
const MAX_PHRASES = 256;

interface Pieces {
  pieces: string[];
  /** The value begins (ends) with a character that may sit inside a word of a longer value. */
  startsInWord: boolean;
  endsInWord: boolean;
}

/** A value as the writer indexes it (lib/falco/alert.ts), cut at ASCII separators. */
function piecesOf(value: string): Pieces {
  const text = withoutPrivateUse(value.toLowerCase());
  return {
    pieces: text.split(ASCII_SEPARATORS).filter((piece) => piece !== ''),
    startsInWord: text !== '' && !ASCII_SEPARATOR.test(text.charAt(0)),
    endsInWord: text !== '' && !ASCII_SEPARATOR.test(text.charAt(text.length - 1)),
  };
}

/**
 * An FTS5 phrase of consecutive pieces, the last one a prefix when `prefix`; null when no piece
 * surely holds a word (a phrase without one matches nothing) or the prefix is too broad to list.
 */
function phrase(db: Db, pieces: readonly string[], prefix: boolean): string | null {
  let kept = pieces.slice(0, MAX_PHRASE_PIECES);
  let star = prefix && kept.length === pieces.length;
  const last = kept.at(-1);
  if (star && (last === undefined || !ASCII_WORD_ONLY.test(last) || prefixListPages(db, last) > MAX_PREFIX_PAGES)) {
    kept = kept.slice(0, -1);
    star = false;
  }
  if (!kept.some((piece) => ASCII_WORD.test(piece))) return null;
  return `"${kept.join(' ')}"${star ? '*' : ''}`;
}

/**
 * The phrases (all needed) that an alert's words hold when a field of it compares true with
 * `value`, or null when none can be said. Falco's operators on whole values: `=` and `in` give
 * whole words; `startswith` may end inside a word, `endswith` begin inside one, `contains` both.
 */
function valuePhrases(db: Db, comp: ExceptionComp, value: string): string[] | null {
  if (comp === 'pmatch') return pathPhrases(db, value);
  const { pieces, startsInWord, endsInWord } = piecesOf(value);
  const partialFirst = (comp === 'endswith' || comp === 'contains') && startsInWord;
  const prefixLast = (comp === 'startswith' || comp === 'contains') && endsInWord;
  const text = phrase(db, partialFirst ? pieces.slice(1) : pieces, prefixLast);
  return text === null ? null : [text];
}

/** `pmatch`: a path's leading components, compared whole; a component with a glob says nothing of its words. */
function pathPhrases(db: Db, prefix: string): string[] | null {
  const phrases: string[] = [];
  let run: string[] = [];
  const close = () => {
    const text = run.length > 0 ? phrase(db, piecesOf(run.join('/')).pieces, false) : null;
    if (text !== null) phrases.push(text);
    run = [];
  };
  for (const component of prefix.split('/')) {
    if (component === '') continue;
    if (GLOB.test(component)) close();
    else run.push(component);
  }
  close();
  return phrases.length > 0 ? phrases : null;
}

const allOf = (terms: readonly string[]) => (terms.length === 1 ? terms[0]! : `(${terms.join(' AND ')})`);
const anyOf = (terms: readonly string[]) => (terms.length === 1 ? terms[0]! : `(${terms.join(' OR ')})`);

const INTEGER = /^[+-]?\d+$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/**
 * The text a number field's value has in the words of an alert that holds it as a JSON number (an
 * integer as its decimal digits), or an IPv4 address (one way to write it); null for anything else.
 */
export function numberText(value: string): string | null {
  if (INTEGER.test(value)) return BigInt(value).toString();
  return IPV4.test(value) ? value : null;
}

/** What the words of an alert hold when the test holds, or null when nothing can be said. */
function testTerm(db: Db, test: ValueTest): string | null {
  const alternatives: string[] = [];
  for (const value of test.values) {
    // Falco compares numbers by value (`042` is `42`): the words hold the number's own digits.
    const text = test.kind === 'number' ? numberText(value) : value;
    const phrases = text === null ? null : valuePhrases(db, test.kind === 'number' ? '=' : test.comp, text);
    if (phrases === null) return null;
    alternatives.push(allOf(phrases));
  }
  return alternatives.length > 0 ? anyOf(alternatives) : null;
}

/**
 * The word index query whose matches hold every alert one of `tuples` matches (each phrase is words
 * a matching value must hold), or null when a tuple says nothing of the words. An alert holding a
 * number field's integer as a string (`"042"`) has other words: the caller reads those.
 */
export function exceptionWordQuery(db: Db, tuples: readonly (readonly ValueTest[])[]): string | null {
  // Alerts stored before migration 0015 hold the words of an older writer until indexed again.
  if (!facetsReady(db)) return null;
  if (tuples.flat().reduce((sum, test) => sum + test.values.length, 0) > MAX_PHRASES) return null;
  const terms: string[] = [];
  for (const tuple of tuples) {
    const parts = tuple.map((test) => testTerm(db, test)).filter((term) => term !== null);
    if (parts.length === 0) return null;
    terms.push(allOf(parts));
  }
  if (terms.length === 0) return null;
  const query = anyOf(terms);
  return (query.match(/"/g)?.length ?? 0) / 2 > MAX_PHRASES ? null : query;
}

/** The ids of the alerts whose words `query` matches, narrowed to `rule` by its facet token. */
export function wordMatches(db: Db, query: string, rule: string): Set<number> {
  const parsed = EventFilter.safeParse({ rule: [rule] });
  const token = parsed.success ? facetQuery(parsed.data) : null;
  const match = token ? `${query} AND ${token}` : query;
  return new Set(prepared<number>(db, 'SELECT rowid FROM event_search WHERE event_search MATCH ?').pluck().all(match));
}

const NO_END_NS = 9_223_372_036_854_775_807n;

/** The ids of `rule`'s alerts from `fromNs` (inclusive) to `toNs` (exclusive), from the rule's index alone. */
export function ruleAlertIds(db: Db, rule: string, fromNs: bigint | undefined, toNs: bigint | undefined): number[] {
  return prepared<number>(
    db,
    'SELECT e.id FROM events e INDEXED BY events_rule_time WHERE e.rule = @rule AND e.time_ns >= @fromNs AND e.time_ns < @toNs',
  )
    .pluck()
    .all({ rule, fromNs: fromNs ?? 0n, toNs: toNs ?? NO_END_NS });
}

/** One alert's atom (migration 0017), and without one (not backfilled yet) the columns its atom is made of, as JSON. */
export type AlertAtom = [id: number, atomId: number | null, columns: string | null];

/** The atoms of the alerts with these ids. */
export function alertAtoms(db: Db, ids: readonly number[]): AlertAtom[] {
  return prepared<AlertAtom>(
    db,
    `SELECT e.id, e.group_id,
       CASE WHEN e.group_id IS NULL THEN json_array(e.image_repository, e.hostname, e.process_chain, e.user_name, e.k8s_ns) END
     FROM json_each(?) j CROSS JOIN events e ON e.id = j.value`,
  )
    .raw()
    .all(JSON.stringify(ids));
}

/** The stored JSON of the alerts with these ids that are still stored, as kept (lib/db/raw-json.ts). */
export function storedRaws(db: Db, ids: readonly number[]): [id: number, raw: string | Buffer][] {
  return prepared<[number, string | Buffer]>(
    db,
    'SELECT p.event_id, p.raw FROM json_each(?) j CROSS JOIN event_payloads p ON p.event_id = j.value',
  )
    .raw()
    .all(JSON.stringify(ids));
}

/** Each atom's key under the default grouping, as 16 hex digits. */
export function atomKeys(db: Db, atomIds: readonly number[]): Map<number, string> {
  const rows = prepared<[number, string]>(
    db,
    'SELECT a.id, lower(hex(a.k_ric)) FROM json_each(?) j CROSS JOIN group_atoms a ON a.id = j.value',
  )
    .raw()
    .all(JSON.stringify(atomIds));
  return new Map(rows);
}

// Shapes of at most this many alerts are remembered, over all rules; the least recently used rule's go first.
const MAX_REMEMBERED = 1_000_000;
// A rule whose alerts come in more shapes than this is not remembered: its senders vary the keys.
const MAX_SHAPES_PER_RULE = 10_000;

interface RuleShapes {
  ids: Float64Array;
  shapes: Uint32Array;
  size: number;
  table: string[];
  index: Map<string, number>;
  usedAt: number;
}

interface StoreShapes {
  rules: Map<string, RuleShapes>;
  highestId: number;
  total: number;
  clock: number;
}

const remembered = new WeakMap<Db, StoreShapes>();

/** The shapes remembered of one rule's alerts; `remember` adds those read since. */
export interface OutputShapes {
  of(id: number): string | undefined;
  remember(entries: readonly (readonly [number, string])[]): void;
}

/** The remembered shapes of a rule's alerts (what the caller made of each alert's output_fields, as text). */
export function outputShapes(db: Db, rule: string): OutputShapes {
  const highest = prepared<number | null>(db, 'SELECT max(id) FROM events').pluck().get() ?? 0;
  let store = remembered.get(db);
  // SQLite gives a new alert the highest id plus one: ids are reused only after the newest alerts went.
  if (store === undefined || highest < store.highestId) {
    store = { rules: new Map(), highestId: 0, total: 0, clock: 0 };
    remembered.set(db, store);
  }
  const own = store;
  const rules = own.rules;
  let shapes = rules.get(rule);
  if (shapes === undefined) {
    shapes = { ids: new Float64Array(0), shapes: new Uint32Array(0), size: 0, table: [], index: new Map(), usedAt: 0 };
    rules.set(rule, shapes);
  }
  const mine = shapes;
  mine.usedAt = ++own.clock;
  return {
    of(id) {
      let low = 0;
      let high = mine.size - 1;
      while (low <= high) {
        const mid = (low + high) >>> 1;
        const at = mine.ids[mid]!;
        if (at === id) return mine.table[mine.shapes[mid]!];
        if (at < id) low = mid + 1;
        else high = mid - 1;
      }
      return undefined;
    },
    remember(entries) {
      if (entries.length === 0 || mine.table.length > MAX_SHAPES_PER_RULE) return;
      makeRoom(own, rule, entries.length);
      if (own.total + entries.length > MAX_REMEMBERED) return;
      const added = [...entries].sort((a, b) => a[0] - b[0]);
      const size = mine.size + added.length;
      const ids = new Float64Array(size);
      const codes = new Uint32Array(size);
      let i = 0;
      let j = 0;
      let n = 0;
      while (i < mine.size || j < added.length) {
        const next = added[j];
        if (next === undefined || (i < mine.size && mine.ids[i]! <= next[0])) {
          if (next !== undefined && mine.ids[i] === next[0]) j++;
          ids[n] = mine.ids[i]!;
          codes[n++] = mine.shapes[i++]!;
          continue;
        }
        if (n > 0 && ids[n - 1] === next[0]) {
          j++;
          continue;
        }
        let code = mine.index.get(next[1]);
        if (code === undefined) {
          code = mine.table.push(next[1]) - 1;
          mine.index.set(next[1], code);
        }
        ids[n] = next[0];
        codes[n++] = code;
        j++;
        if (next[0] > own.highestId) own.highestId = next[0];
      }
      own.total += n - mine.size;
      mine.ids = ids.subarray(0, n);
      mine.shapes = codes.subarray(0, n);
      mine.size = n;
    },
  };
}

function makeRoom(store: StoreShapes, keep: string, needed: number): void {
  const others = [...store.rules].filter(([rule]) => rule !== keep).sort((a, b) => a[1].usedAt - b[1].usedAt);
  for (const [rule, shapes] of others) {
    if (store.total + needed <= MAX_REMEMBERED) return;
    store.total -= shapes.size;
    store.rules.delete(rule);
  }
}
