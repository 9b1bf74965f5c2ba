// Query schemas: each route's whole query, parsed from URLSearchParams by the filter model the
// pages use for their URL state (lib/filters/event-filter.ts). Pure: no store, no Request.
import { DIMENSION_NAMES, type Dimension } from '../filters/dimensions';
import { DEFAULT_GROUPING, GROUP_SORTS, GROUPING_NAMES, type GroupQuery } from '../triage/groupings';
import { EventFilter, EventPage, filterInput, type FilterSchema } from '../filters/event-filter';
import { ApiError, type ErrorIssue } from './errors';

/** A route's query: URLSearchParams in, a typed value out, or an ApiError invalid_query. */
export type QuerySchema<T> = (params: URLSearchParams) => T;

function parseOrThrow<T>(schema: FilterSchema<T>, input: Record<string, unknown>): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues: ErrorIssue[] = parsed.issues.map((issue) => ({
    field: issue.path.filter((part) => typeof part === 'string').join('.'),
    code: issue.code,
    message: issue.message,
  }));
  const listed = issues
    .slice(0, 3)
    .map((i) => `${i.field}: ${i.message}`)
    .join('; ');
  throw new ApiError(
    'invalid_query',
    `Invalid query parameter(s): ${listed}${issues.length > 3 ? ` (and ${issues.length - 3} more)` : ''}.`,
    issues,
  );
}

/** The filter and page a read asks for, validated by the schema the pages use too. */
export function parseEventQuery(params: URLSearchParams): { filter: EventFilter; page: EventPage } {
  const input = filterInput(params);
  return { filter: parseOrThrow(EventFilter, input), page: parseOrThrow(EventPage, input) };
}

/** A query parameter from a fixed set (a dimension, a format), with `fallback` when absent. */
export function parseEnumParam<T extends string>(
  params: URLSearchParams,
  name: string,
  allowed: readonly T[],
  fallback?: T,
): T {
  const value = params.get(name) ?? fallback;
  if (value === undefined || !allowed.includes(value as T)) {
    throw new ApiError('invalid_query', `${name} must be one of ${allowed.join(', ')}.`, [
      { field: name, code: 'invalid_value', message: `expected one of ${allowed.join(', ')}` },
    ]);
  }
  return value as T;
}

/** A whole-number query parameter within bounds, with `fallback` when absent. */
export function parseIntParam(
  params: URLSearchParams,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  const text = params.get(name);
  if (text === null) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ApiError('invalid_query', `${name} must be a whole number from ${min} to ${max}.`, [
      { field: name, code: 'invalid_value', message: `expected ${min}–${max}` },
    ]);
  }
  return value;
}

export function parseIdOrThrow(text: string): number {
  if (!/^\d{1,15}$/.test(text)) throw new ApiError('not_found', `There is no alert with id ${JSON.stringify(text)}.`);
  return Number(text);
}

/** The query of every filtered read: the filter, then what the route adds from the same URL. */
export function filterQuery<E extends object = object>(
  extra?: (params: URLSearchParams) => E,
): QuerySchema<{ filter: EventFilter } & E> {
  return (params) => {
    const { filter } = parseEventQuery(params);
    return { filter, ...(extra ? extra(params) : ({} as E)) };
  };
}

export const QUERIES = {
  events: parseEventQuery,
  filter: filterQuery(),
  containers: filterQuery((params) => ({ limit: parseIntParam(params, 'limit', 1, 5000, 500) })),
  top: filterQuery((params) => ({
    dimension: parseEnumParam<Dimension>(params, 'dimension', DIMENSION_NAMES),
    limit: parseIntParam(params, 'limit', 1, 500, 10),
  })),
  timeline: filterQuery((params) => ({
    stack: parseEnumParam(params, 'stack', ['priority', 'rule', 'container'] as const, 'priority'),
    series: parseIntParam(params, 'series', 1, 20, 8),
  })),
  // `status` selects groups by their own status here, not alerts by their default group's.
  groups: (params: URLSearchParams): { filter: EventFilter; groups: GroupQuery } => {
    const { filter, page } = parseEventQuery(params);
    return {
      filter: { ...filter, status: [] },
      groups: {
        groupBy: parseEnumParam(params, 'groupBy', GROUPING_NAMES, DEFAULT_GROUPING),
        sort: parseEnumParam(params, 'sort', GROUP_SORTS, 'priority'),
        status: filter.status as GroupQuery['status'],
        ...page,
      },
    };
  },
  stream: filterQuery((params) => ({
    after: params.has('after') ? parseIntParam(params, 'after', 0, Number.MAX_SAFE_INTEGER, 0) : undefined,
  })),
} satisfies Record<string, QuerySchema<unknown>>;
