import 'server-only';
// Facet tokens: an alert's rule, source, host, container, image, namespace, pod, user, tags,
// process names and chain, written as words of its text (migration 0015), so that the word index
// alone finds the alerts of free text and those filters together (docs/decisions/0005).
import type { StoredAlert } from '../falco/alert';
import { CHAIN_SEPARATOR, splitChainKey, UNKNOWN_PROCESS } from '../falco/ancestry';
import type { EventFilter } from '../filters/event-filter';
import {
  COLUMN_DIMENSIONS,
  DIMENSIONS,
  matchesOf,
  NONE_VALUE,
  SHAPE_COLUMNS,
  type ColumnDimension,
  type ColumnField,
  type DimensionSpec,
} from '../filters/dimensions';
import type { Db } from './connection';
import { unpackRaw } from './raw-json';
import { prepared } from './statements';

// A private-use character: alerts' own text has them replaced (withoutPrivateUse), so no alert
// can forge a token. The word index keeps private-use characters inside words.
const MARK = '\u{E000}';
// Longer values get no token; a filter with one is tested on each alert's row instead.
const MAX_VALUE_BYTES = 512;

type Faceted = {
  [K in keyof typeof DIMENSIONS]: (typeof DIMENSIONS)[K] extends { facet: string; chip: string } ? K : never;
}[keyof typeof DIMENSIONS];
type FacetedFilter = Exclude<Faceted, 'chain'>;

/** Each faceted filter's letter (lib/filters/dimensions.ts), and whether `(none)` selects the alerts without a value. */
const FACETS = Object.fromEntries(
  (Object.keys(DIMENSIONS) as (keyof typeof DIMENSIONS)[]).flatMap((name) => {
    const spec: DimensionSpec = DIMENSIONS[name];
    return spec.facet === undefined || spec.chip === undefined || name === 'chain'
      ? []
      : [[name, { letter: spec.facet, none: spec.columns !== undefined }]];
  }),
) as Record<string, { letter: string; none: boolean }> as Record<FacetedFilter, { letter: string; none: boolean }>;
const FACETED_FILTERS = Object.keys(FACETS) as FacetedFilter[];
const COLUMN_FACETS = COLUMN_DIMENSIONS.filter((name): name is ColumnDimension & FacetedFilter => name in FACETS);

/** The values of one alert that its facet tokens are made of: its row's columns, tags and ancestry's names. */
export type FacetValues = Pick<StoredAlert, ColumnField | 'processChain' | 'tags'> & {
  ancestry: readonly { name: string | null }[];
};

// Each filter's recent tokens: an alert's values mostly repeat those of the alerts before it.
const MAX_CACHED_TOKENS = 4_096;
const tokenCaches = new Map<FacetedFilter, Map<string, string | null>>();

/** The token of a value, or null when the value is too long to have one. Hex: the index splits words at punctuation. */
function valueToken(filter: FacetedFilter, value: string): string | null {
  let cache = tokenCaches.get(filter);
  if (cache === undefined) tokenCaches.set(filter, (cache = new Map()));
  const cached = cache.get(value);
  if (cached !== undefined) return cached;
  const bytes = Buffer.from(value, 'utf8');
  const token = bytes.length > MAX_VALUE_BYTES ? null : `${MARK}${FACETS[filter].letter}v${bytes.toString('hex')}`;
  if (cache.size >= MAX_CACHED_TOKENS) cache.clear();
  cache.set(value, token);
  return token;
}

const noneToken = (filter: FacetedFilter) => `${MARK}${FACETS[filter].letter}n`;

// A chain's first levels (its root, and the root's child) have tokens of their own: such a chain
// filter holds most alerts, too many to test each on its row. A deeper one is narrowed by its names.
const CHAIN_TOKEN_LEVELS = 2;
const CHAIN_LETTER = DIMENSIONS.chain.facet;

// Each column filter's alternatives as the alert's fields (an image: its repository, or repository:tag).
const COLUMN_MATCHES = COLUMN_FACETS.map((name) => {
  const spec: DimensionSpec = DIMENSIONS[name];
  const fieldOf = (column: string) => spec.columns!.find((c) => c.column === column)!.field as ColumnField;
  return [name, matchesOf(name).map((parts) => parts.map(fieldOf))] as const;
});

const chainToken = (levels: readonly string[]) => {
  const bytes = Buffer.from(levels.join(CHAIN_SEPARATOR), 'utf8');
  return bytes.length > MAX_VALUE_BYTES ? null : `${MARK}${CHAIN_LETTER}v${bytes.toString('hex')}`;
};

/**
 * The facet tokens of one alert, as one line of words. Each mirrors the SQL of its filter
 * (lib/db/filter-sql.ts), so the word index selects exactly what that filter would.
 */
export function facetText(alert: FacetValues): string {
  const tokens = new Set<string>();
  const add = (filter: FacetedFilter, value: string | null) => {
    const token = value === null ? noneToken(filter) : valueToken(filter, value);
    if (token !== null) tokens.add(token);
  };
  // The first alternative's value, or none; the others' when every part has one.
  for (const [filter, alternatives] of COLUMN_MATCHES) {
    alternatives.forEach((fields, i) => {
      const parts = fields.map((field) => alert[field]);
      if (i === 0 && parts.length === 1) add(filter, parts[0]!);
      else if (parts.every((part) => part !== null)) add(filter, parts.join(':'));
    });
  }
  for (const tag of alert.tags) add('tag', tag);
  for (const { name } of alert.ancestry) if (name !== null) add('proc', name);
  const levels = alert.processChain?.split(CHAIN_SEPARATOR) ?? [];
  for (let depth = 1; depth <= Math.min(CHAIN_TOKEN_LEVELS, levels.length); depth++) {
    const token = chainToken(levels.slice(0, depth));
    if (token !== null) tokens.add(token);
  }
  return [...tokens].join(' ');
}

/** The token that selects exactly the alerts at or below `chain`, or null when it has none (too deep or too long). */
function exactChainToken(chain: string): string | null {
  const levels = chain.split(CHAIN_SEPARATOR);
  return levels.length <= CHAIN_TOKEN_LEVELS ? chainToken(levels) : null;
}

/**
 * The word index query for the faceted filters of `filter` (every value of a filter OR-ed, the
 * filters AND-ed), '' when it has none, or null when one of its values has no token. A chain
 * without a token of its own is narrowed by the names along it, as process names.
 */
export function facetQuery(filter: EventFilter): string | null {
  const groups: string[] = [];
  const anyOf = (alternatives: string[]) => {
    const unique = [...new Set(alternatives)];
    return unique.length === 1 ? unique[0]! : `(${unique.join(' OR ')})`;
  };
  for (const key of FACETED_FILTERS) {
    const list = filter[key];
    if (list.length === 0) continue;
    const tokens = list.map((value) =>
      value === NONE_VALUE && FACETS[key].none ? noneToken(key) : valueToken(key, value),
    );
    if (tokens.includes(null)) return null;
    groups.push(anyOf(tokens.map((token) => `"${token}"`)));
  }
  const chains = filter.chain.map((chain) => {
    const exact = exactChainToken(chain);
    if (exact !== null) return `"${exact}"`;
    const names = splitChainKey(chain)
      .map((level) => level.name)
      .filter((name) => name !== UNKNOWN_PROCESS);
    const tokens = [...new Set(names)].map((name) => valueToken('proc', name)).filter((token) => token !== null);
    return tokens.length === 0 ? null : `(${tokens.map((token) => `"${token}"`).join(' AND ')})`;
  });
  if (chains.length > 0 && !chains.includes(null)) groups.push(anyOf(chains as string[]));
  return groups.join(' AND ');
}

/** The filter without the filters `facetQuery` answers exactly (a chain without its own token stays, to be tested on the row). */
export function withoutFacets(filter: EventFilter): EventFilter {
  const rest = { ...filter };
  for (const key of FACETED_FILTERS) rest[key] = [];
  if (filter.chain.every((chain) => exactChainToken(chain) !== null)) rest.chain = [];
  return rest;
}

/** Whether every stored alert has its facet tokens, and the word index was merged after: until then readers test the filters on each row. */
export const facetsReady = (db: Db): boolean =>
  prepared<number>(db, 'SELECT ready FROM event_facets').pluck().get() === 1;

// Pages of merge work after each batch of addMissingFacets.
const MERGE_PAGES = 100;

interface UnfacetedRow extends Omit<FacetValues, 'tags' | 'ancestry'> {
  id: number;
  raw: string | Buffer;
  tags: string;
  names: string;
}

/**
 * Gives up to `limit` of the alerts stored before migration 0015 their facet tokens, newest first:
 * each one's words are indexed again, from `textOf` its stored JSON, with its tokens after them.
 * Returns how many it gave; 0 when none is left.
 */
export function addMissingFacets(db: Db, textOf: (raw: string) => string, limit: number): number {
  return db
    .transaction(() => {
      const rows = prepared<UnfacetedRow>(
        db,
        `
      SELECT e.id, ${SHAPE_COLUMNS.map((c) => `e.${c.column} AS ${c.field}`).join(', ')}, e.process_chain AS processChain, p.raw,
        (SELECT json_group_array(t.tag) FROM event_tags t WHERE t.event_id = e.id) AS tags,
        (SELECT json_group_array(x.name) FROM event_processes x WHERE x.event_id = e.id) AS names
      FROM events e CROSS JOIN event_payloads p ON p.event_id = e.id
      WHERE e.id < (SELECT from_id FROM event_facets)
      ORDER BY e.id DESC LIMIT ?`,
      ).all(limit);
      if (rows.length === 0) return 0;
      const remove = prepared(db, 'DELETE FROM event_search WHERE rowid = ?');
      const insert = prepared(db, 'INSERT INTO event_search (rowid, text) VALUES (?, ?)');
      // Merging as it writes, FTS5 now and then rewrites big segments at once; a bounded merge after
      // each batch keeps every batch short.
      prepared(db, "INSERT INTO event_search (event_search, rank) VALUES ('automerge', 0)").run();
      for (const row of rows) {
        const tags = JSON.parse(row.tags) as string[];
        const ancestry = (JSON.parse(row.names) as (string | null)[]).map((name) => ({ name }));
        remove.run(row.id);
        insert.run(row.id, `${textOf(unpackRaw(row.raw))}\n${facetText({ ...row, tags, ancestry })}`);
      }
      prepared(db, "INSERT INTO event_search (event_search, rank) VALUES ('automerge', 4)").run();
      prepared(db, "INSERT INTO event_search (event_search, rank) VALUES ('merge', ?)").run(MERGE_PAGES);
      prepared(db, 'UPDATE event_facets SET from_id = ?').run(rows.at(-1)!.id);
      return rows.length;
    })
    .immediate();
}

// Pages per step of mergeWordIndex: few, so that no step holds the event loop long (decision 0005).
const MERGE_STEP_PAGES = 50;

/**
 * One step of merging the word index into one segment, which drops the entries addMissingFacets
 * deleted; once a step finds nothing left to merge, marks the facet tokens ready. Returns whether
 * more steps are needed.
 */
export function mergeWordIndex(db: Db): boolean {
  return db
    .transaction(() => {
      const changes = prepared<number>(db, 'SELECT total_changes()').pluck();
      const before = changes.get()!;
      prepared(db, "INSERT INTO event_search (event_search, rank) VALUES ('merge', ?)").run(-MERGE_STEP_PAGES);
      // FTS5's own sign that the merge is complete: the command changed no more than its own row.
      if (changes.get()! - before >= 2) return true;
      prepared(db, 'UPDATE event_facets SET ready = 1').run();
      return false;
    })
    .immediate();
}

/** How many stored alerts still lack their facet tokens. */
export const alertsWithoutFacets = (db: Db): number =>
  prepared<{ n: number }>(db, 'SELECT count(*) AS n FROM events WHERE id < (SELECT from_id FROM event_facets)').get()!
    .n;
