import { getDb } from '../db/connection';
import { assertSearchAnswerable } from '../db/event-search';
import { EventFilter, EventPage, filterInput, type FilterSchema } from '../filters/event-filter';
import { ApiError, type ErrorIssue } from './errors';

function parseOrThrow<T>(schema: FilterSchema<T>, input: Record<string, unknown>): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues: ErrorIssue[] = parsed.issues.map((issue) => ({
    field: issue.path.filter((part) => typeof part === 'string').join('.'),
    code: issue.code,
    message: issue.message,
  }));
  const listed = issues.slice(0, 3).map((i) => `${i.field}: ${i.message}`).join('; ');
  throw new ApiError('invalid_query', `Invalid query parameter(s): ${listed}${issues.length > 3 ? ` (and ${issues.length - 3} more)` : ''}.`, issues);
}

/**
 * The filter and page a read request asks for, validated by the schema the pages use too, and
 * refused when its free text has a prefix too broad to answer quickly in this store (lib/db/event-search.ts).
 */
export function parseEventQuery(request: Request): { filter: EventFilter; page: EventPage } {
  const input = filterInput(new URL(request.url).searchParams);
  const filter = parseOrThrow(EventFilter, input);
  const page = parseOrThrow(EventPage, input);
  assertSearchAnswerable(getDb(), filter);
  return { filter, page };
}

/** A query parameter from a fixed set (a dimension, a format), with `fallback` when absent. */
export function parseEnumParam<T extends string>(request: Request, name: string, allowed: readonly T[], fallback?: T): T {
  const value = new URL(request.url).searchParams.get(name) ?? fallback;
  if (value === undefined || !allowed.includes(value as T)) {
    throw new ApiError('invalid_query', `${name} must be one of ${allowed.join(', ')}.`, [
      { field: name, code: 'invalid_value', message: `expected one of ${allowed.join(', ')}` },
    ]);
  }
  return value as T;
}

/** A whole-number query parameter within bounds, with `fallback` when absent. */
export function parseIntParam(request: Request, name: string, min: number, max: number, fallback: number): number {
  const text = new URL(request.url).searchParams.get(name);
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
