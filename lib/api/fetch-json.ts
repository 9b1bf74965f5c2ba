// Client-side fetch for Perch's own API: turns the error envelope into an Error with its message.
import { withBasePath } from '../base-path';
import type { ErrorIssue } from '../errors';

/** On a read's answer: the newest alert id when the server started reading, so the answer includes every alert up to it. */
export const NEWEST_ID_HEADER = 'x-perch-newest-id';

// Answer body → its NEWEST_ID_HEADER, for live pages to tell which alerts an answer already counts.
const newestIds = new WeakMap<object, number>();

/** The newest alert id an answer of fetchJson is known to include, if the server said. */
export function newestIdIn(data: unknown): number | undefined {
  return typeof data === 'object' && data !== null ? newestIds.get(data) : undefined;
}

/** `data` (a copy or a part of an answer), marked as holding every alert up to `newest`. */
export function withNewestId<T>(data: T, newest: number | undefined): T {
  if (newest !== undefined && typeof data === 'object' && data !== null) newestIds.set(data, newest);
  return data;
}

export class FetchError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
    /** The envelope's issues, each naming the input at fault (lib/api/errors.ts). */
    readonly issues: ErrorIssue[] = [],
  ) {
    super(message);
  }
}

/** Fetches one of Perch's own API URLs (`/api/…`, the base path is added here); throws FetchError for a refusal. */
async function fetchOk(path: string, init: RequestInit | undefined, accept: string): Promise<Response> {
  const response = await fetch(withBasePath(path), { ...init, headers: { accept, ...init?.headers } });
  if (response.ok) return response;
  const body = (await response.json().catch(() => null)) as {
    error?: { code?: string; message?: string; issues?: ErrorIssue[] };
  } | null;
  throw new FetchError(
    body?.error?.message ?? `${response.status} ${response.statusText}`,
    response.status,
    body?.error?.code,
    body?.error?.issues ?? [],
  );
}

/** An answer that is text, not JSON (a rules file). */
export async function fetchText(path: string, init?: RequestInit): Promise<string> {
  return (await fetchOk(path, init, '*/*')).text();
}

/** Fetches one of Perch's own API URLs as JSON. */
export async function fetchJson<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetchOk(path, init, 'application/json');
  const body = (await response.json()) as T;
  const newest = response.headers.get(NEWEST_ID_HEADER);
  if (newest !== null && typeof body === 'object' && body !== null) newestIds.set(body, Number(newest));
  return body;
}
