// Client-side fetch for Perch's own API: turns the error envelope into an Error with its message.
import { withBasePath } from '../base-path';
export class FetchError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Fetches one of Perch's own API URLs (`/api/…`, the base path is added here). */
export async function fetchJson<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(withBasePath(path), { ...init, headers: { accept: 'application/json', ...init?.headers } });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new FetchError(body?.error?.message ?? `${response.status} ${response.statusText}`, response.status, body?.error?.code);
  }
  return (await response.json()) as T;
}
