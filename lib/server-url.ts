import 'server-only';
import { headers } from 'next/headers';
import { BASE_PATH } from './base-path';

/** This server's address as the browser reached it (behind a proxy: the forwarded host and scheme), with its base path. */
export async function requestServerUrl(): Promise<string> {
  const requestHeaders = await headers();
  const host = requestHeaders.get('x-forwarded-host') ?? requestHeaders.get('host') ?? 'localhost:3000';
  const protocol = requestHeaders.get('x-forwarded-proto') ?? 'http';
  return `${protocol}://${host}${BASE_PATH}`;
}
