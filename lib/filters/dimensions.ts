// The Falco dimensions, declared once: how each is named, filtered, grouped, counted and tokenised.
// Filter SQL, the aggregates, the counts' reader and writer, facet tokens, chips and "no value"
// labels all derive from this table. Client components import it: plain data, no server imports.
import type { StoredAlert } from '../falco/alert';

/** A column of `events` (and of the counts per shape), with the alert field it is written from. */
export interface DimensionColumn {
  column: string;
  field: keyof StoredAlert & string;
}

/**
 * How a dimension keys an alert in the counts per dimension (migration 0013): its value is its
 * first column; its detail a column, the host of host processes, or none.
 */
interface CountedKey {
  detail?: string | typeof HOST_DETAIL;
  /** Counted per hour too (dimension_counts_1h): the dimensions charts stack by. */
  hourly?: boolean;
}

export interface DimensionSpec {
  /** Heading of its pickers and lists. */
  label: string;
  /** The filter that selects a value of it. */
  filter: string;
  /** Its name on a filter chip (on the entry named like its filter). */
  chip?: string;
  /** What a list shows for the alerts without a value (`(none)`). */
  none?: string;
  /** Whether aggregates group by it (`/api/stats/top?dimension=`); false for a filter only. */
  grouped?: boolean;
  /**
   * Its columns of `events`, in the order the counts per shape key them. A filter value selects the
   * alerts whose value of any of `matches` equals it (parts joined by `:`); the first column being
   * NULL is "no value" when `nullable`.
   */
  columns?: readonly DimensionColumn[];
  matches?: readonly (readonly string[])[];
  nullable?: boolean;
  /** Counted in the counts per dimension, keyed as it says. */
  counted?: CountedKey;
  /** Its letter in facet tokens (lib/db/facets.ts). */
  facet?: string;
}

/** The detail of host processes' pseudo-container: its host, so each host is one row. */
export const HOST_DETAIL = 'host of host processes';

export const DIMENSIONS = {
  priority: { label: 'Priority', filter: 'priority', chip: 'priority' },
  rule: {
    label: 'Rule',
    filter: 'rule',
    chip: 'rule',
    columns: [{ column: 'rule', field: 'rule' }],
    nullable: false,
    counted: { hourly: true },
    facet: 'r',
  },
  source: {
    label: 'Source',
    filter: 'source',
    chip: 'source',
    none: 'not stated (older Falco)',
    columns: [{ column: 'source', field: 'source' }],
    nullable: true,
    counted: {},
    facet: 's',
  },
  hostname: {
    label: 'Host',
    filter: 'hostname',
    chip: 'host',
    none: 'unknown host',
    columns: [{ column: 'hostname', field: 'hostname' }],
    nullable: true,
    counted: {},
    facet: 'h',
  },
  container: {
    label: 'Container',
    filter: 'container',
    chip: 'container',
    none: 'no container',
    columns: [
      { column: 'container_id', field: 'containerId' },
      { column: 'container_name', field: 'containerName' },
    ],
    nullable: true,
    counted: { detail: HOST_DETAIL, hourly: true },
    facet: 'c',
  },
  image: {
    label: 'Image',
    filter: 'image',
    chip: 'image',
    columns: [
      { column: 'image_repository', field: 'imageRepository' },
      { column: 'image_tag', field: 'imageTag' },
    ],
    matches: [['image_repository'], ['image_repository', 'image_tag']],
    nullable: true,
    counted: { detail: 'image_tag' },
    facet: 'i',
  },
  namespace: {
    label: 'Namespace',
    filter: 'namespace',
    chip: 'namespace',
    none: 'no namespace',
    columns: [{ column: 'k8s_ns', field: 'k8sNamespace' }],
    nullable: true,
    counted: {},
    facet: 'n',
  },
  pod: {
    label: 'Pod',
    filter: 'pod',
    chip: 'pod',
    columns: [{ column: 'k8s_pod', field: 'k8sPod' }],
    nullable: true,
    counted: {},
    facet: 'd',
  },
  tag: { label: 'Tag', filter: 'tag', chip: 'tag', facet: 't' },
  user: {
    label: 'User',
    filter: 'user',
    chip: 'user',
    none: 'no user',
    columns: [{ column: 'user_name', field: 'userName' }],
    nullable: true,
    counted: {},
    facet: 'u',
  },
  proc: { label: 'Process', filter: 'proc', chip: 'process', facet: 'a' },
  tactic: { label: 'MITRE tactic', filter: 'tag' },
  technique: { label: 'MITRE technique', filter: 'tag' },
  chain: { label: 'Process chain', filter: 'chain', chip: 'process chain', grouped: false, facet: 'k' },
  group: { label: 'Group', filter: 'group', chip: 'group', grouped: false },
  status: { label: 'Triage status', filter: 'status', chip: 'status', grouped: false },
} as const satisfies Record<string, DimensionSpec>;

type Table = typeof DIMENSIONS;

/** The dimensions aggregates group by. */
export type Dimension = { [K in keyof Table]: Table[K] extends { grouped: false } ? never : K }[keyof Table];
export const DIMENSION_NAMES = (Object.keys(DIMENSIONS) as (keyof Table)[]).filter(
  (name) => (DIMENSIONS[name] as DimensionSpec).grouped !== false,
) as Dimension[];

/** The dimensions stored in columns of `events` and of the counts per shape. */
export type ColumnDimension = {
  [K in keyof Table]: Table[K] extends { columns: readonly DimensionColumn[] } ? K : never;
}[keyof Table];
export const COLUMN_DIMENSIONS = (Object.keys(DIMENSIONS) as (keyof Table)[]).filter(
  (name) => 'columns' in DIMENSIONS[name],
) as ColumnDimension[];

/** The alert fields the column dimensions are written from. */
export type ColumnField = { [K in ColumnDimension]: Table[K]['columns'][number]['field'] }[ColumnDimension];

/** The columns of the counts per shape after internal and priority_rank, in this order (migrations 0002, 0008). */
export const SHAPE_COLUMNS: readonly (DimensionColumn & { nullable: boolean })[] = COLUMN_DIMENSIONS.flatMap((name) => {
  const spec: DimensionSpec = DIMENSIONS[name];
  return spec.columns!.map((column) => ({ ...column, nullable: spec.nullable === true }));
});

/** The dimensions counted in the counts per dimension (migration 0013). */
export type CountedName = {
  [K in ColumnDimension]: Table[K] extends { counted: CountedKey } ? K : never;
}[ColumnDimension];
export const COUNTED_NAMES = COLUMN_DIMENSIONS.filter((name): name is CountedName => 'counted' in DIMENSIONS[name]);

/** A filter's columns, each an alternative of parts joined by `:`. */
export const matchesOf = (name: ColumnDimension): readonly (readonly string[])[] => {
  const spec: DimensionSpec = DIMENSIONS[name];
  return spec.matches ?? spec.columns!.map((column) => [column.column]);
};

/** The chip label of each filter. */
export const CHIP_LABELS = Object.fromEntries(
  Object.values(DIMENSIONS).flatMap((spec: DimensionSpec) =>
    spec.chip === undefined ? [] : [[spec.filter, spec.chip]],
  ),
) as Record<ListFilter, string>;

/** Stands for "no value" (a k8s_audit alert has no container) in filters and group keys. */
export const NONE_VALUE = '(none)';

/** A list row's label, or the dimension's words for "no value". */
export const valueLabel = (dimension: Dimension, value: { value: string; label: string }): string =>
  value.value === NONE_VALUE ? ((DIMENSIONS[dimension] as DimensionSpec).none ?? value.label) : value.label;

/** The dimension's words for "no value" (e.g. "no container"). */
export const noneLabel = (dimension: keyof Table): string =>
  (DIMENSIONS[dimension] as DimensionSpec).none ?? NONE_VALUE;

/** Filters that take a set of values (OR within one, AND across): the entries with a chip, in order. */
export type ListFilter = { [K in keyof Table]: Table[K] extends { chip: string } ? K : never }[keyof Table];
export const LIST_FILTERS = (Object.keys(DIMENSIONS) as (keyof Table)[]).filter(
  (name) => (DIMENSIONS[name] as DimensionSpec).chip !== undefined,
) as readonly ListFilter[];

/** What a filter picker offers: the grouped dimensions (they have values to list) that a chip filters. */
export const PICKABLE_DIMENSIONS = DIMENSION_NAMES.filter(
  (name) => (DIMENSIONS[name] as DimensionSpec).chip !== undefined,
) as readonly (Dimension & ListFilter)[];

/** MITRE ATT&CK tags as Falco's rules write them: `mitre_execution` or `TA0002`, `T1059.004`. */
export const isMitreTactic = (tag: string) => /^mitre_[a-z_]+$/.test(tag) || /^TA\d{4}$/.test(tag);
export const isMitreTechnique = (tag: string) => /^T\d{4}(?:\.\d{3})?$/.test(tag);

export function mitreTacticLabel(tag: string): string {
  return tag
    .replace(/^mitre_/, '')
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}
