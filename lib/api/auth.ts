// POST /api/auth/login and /api/auth/logout as HTTP: the outcome of lib/access/login.ts becomes
// the session cookie, a redirect (the login form) or JSON (scripts).
import { logIn, logOut, type SessionCookie } from '../access/login';
import { BASE_PATH, withBasePath } from '../base-path';
import { readBodyText } from '../ingest/read-body';
import { jsonResponse } from './with-api';

function setCookie({ name, value, maxAgeSeconds }: SessionCookie, request: Request): string {
  const secure = request.headers.get('x-forwarded-proto') === 'https' || new URL(request.url).protocol === 'https:';
  return `${name}=${encodeURIComponent(value)}; Path=${BASE_PATH || '/'}; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

// A relative Location: behind a proxy the server's own idea of its host name is not the one the browser used.
const redirect = (path: string, headers: Record<string, string> = {}) =>
  new Response(null, { status: 303, headers: { location: withBasePath(path), ...headers } });

export async function loginResponse(request: Request): Promise<Response> {
  const outcome = await logIn({ headers: request.headers, readBody: (maxBytes) => readBodyText(request, maxBytes) });
  const headers: Record<string, string> = {};
  if (outcome.cookie) headers['set-cookie'] = setCookie(outcome.cookie, request);
  if (outcome.format === 'json') return jsonResponse({ user: outcome.user }, { headers });
  if (outcome.retryAfterSeconds !== undefined) headers['retry-after'] = String(outcome.retryAfterSeconds);
  return redirect(outcome.redirectTo, headers);
}

export function logoutResponse(request: Request): Response {
  const outcome = logOut(request.headers);
  const headers = { 'set-cookie': setCookie(outcome.cookie, request) };
  return outcome.redirectTo !== undefined
    ? redirect(outcome.redirectTo, headers)
    : new Response(null, { status: 204, headers });
}
