import type { z } from 'zod';
import { EventFilter, EventPage, filterInput } from '../filters/event-filter';
import { ApiError, type ErrorIssue } from './errors';

function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues: ErrorIssue[] = parsed.error.issues.map((issue) => ({
    field: issue.path.filter((part) => typeof part === 'string').join('.'),
    code: issue.code,
    message: issue.message,
  }));
  throw new ApiError('invalid_query', `Invalid query parameter(s): ${issues.map((i) => i.field).join(', ')}.`, issues);
}

/** The filter and page a read request asks for, validated by the schema the pages use too. */
export function parseEventQuery(request: Request): { filter: EventFilter; page: EventPage } {
  const input = filterInput(new URL(request.url).searchParams);
  return { filter: parseOrThrow(EventFilter, input), page: parseOrThrow(EventPage, input) };
}

export function parseIdOrThrow(text: string): number {
  if (!/^\d{1,15}$/.test(text)) throw new ApiError('not_found', `There is no alert with id ${JSON.stringify(text)}.`);
  return Number(text);
}
