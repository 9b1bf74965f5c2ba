// POST /api/auth/login and /api/auth/logout, for the login form (redirects) and for scripts (JSON).
import { ApiError } from '../api/errors';
import { jsonResponse } from '../api/with-api';
import { BASE_PATH, withBasePath } from '../base-path';
import { readBodyText } from '../ingest/read-body';
import { getAccessConfig } from './access-config';
import { loginLimiter } from './login-limiter';
import { verifyPassword } from './password';
import { createSession, endSession, SESSION_COOKIE } from './session';
import { cookieReader, peerAddress } from './viewer';

const MAX_LOGIN_BODY = 8_192;
// Checked when the user does not exist, so a wrong name takes as long as a wrong password.
const DECOY_HASH = 'scrypt$15$8$1$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** Only a path on this site: `//evil.example` and `https://…` are not places to send someone after login. */
export function safeNext(next: string | null | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

function cookie(name: string, value: string, request: Request, maxAgeSeconds: number): string {
  const secure = request.headers.get('x-forwarded-proto') === 'https' || new URL(request.url).protocol === 'https:';
  return `${name}=${encodeURIComponent(value)}; Path=${BASE_PATH || '/'}; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

// A relative Location: behind a proxy the server's own idea of its host name is not the one the browser used.
const redirect = (path: string, headers: Record<string, string> = {}) =>
  new Response(null, { status: 303, headers: { location: withBasePath(path), ...headers } });

function loginPage(error: string, next: string): string {
  return `/login?${new URLSearchParams({ error, next }).toString()}`;
}

export async function loginResponse(request: Request): Promise<Response> {
  const config = getAccessConfig();
  if (config.users.size === 0) throw new ApiError('not_found', 'Password login is not enabled on this Perch (PERCH_UI_USERS is empty).');
  const isForm = (request.headers.get('content-type') ?? '').includes('application/x-www-form-urlencoded');
  const text = await readBodyText(request, MAX_LOGIN_BODY);
  let fields: Record<string, unknown>;
  try {
    fields = isForm ? Object.fromEntries(new URLSearchParams(text)) : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    throw new ApiError('invalid_json', 'Send {"user": "…", "password": "…"} as JSON or as a form.');
  }
  const user = typeof fields.user === 'string' ? fields.user : '';
  const password = typeof fields.password === 'string' ? fields.password : '';
  const next = safeNext(typeof fields.next === 'string' ? fields.next : null);

  const client = peerAddress(request.headers) ?? 'unknown';
  const limiter = loginLimiter();
  const waitMs = limiter.waitMs(client);
  if (waitMs > 0) {
    const retryAfter = String(Math.ceil(waitMs / 1000));
    if (isForm) return redirect(loginPage('locked', next), { 'retry-after': retryAfter });
    throw new ApiError('too_many_login_attempts', `Too many failed logins from this address; try again in ${Math.ceil(waitMs / 60_000)} minute(s).`, undefined, { 'retry-after': retryAfter });
  }
  const hash = config.users.get(user);
  const ok = (await verifyPassword(password, hash ?? DECOY_HASH)) && hash !== undefined;
  if (!ok) {
    limiter.recordFailure(client);
    if (isForm) return redirect(loginPage('invalid', next));
    throw new ApiError('unauthorized', 'Wrong user name or password.');
  }
  limiter.recordSuccess(client);
  const setCookie = cookie(SESSION_COOKIE, createSession(user, config.sessionTtlMs), request, Math.floor(config.sessionTtlMs / 1000));
  if (isForm) return redirect(next, { 'set-cookie': setCookie });
  return jsonResponse({ user }, { headers: { 'set-cookie': setCookie } });
}

export function logoutResponse(request: Request): Response {
  endSession(cookieReader(request.headers)(SESSION_COOKIE));
  const clear = cookie(SESSION_COOKIE, '', request, 0);
  const isForm = (request.headers.get('content-type') ?? '').includes('application/x-www-form-urlencoded');
  return isForm ? redirect('/login?error=logged-out', { 'set-cookie': clear }) : new Response(null, { status: 204, headers: { 'set-cookie': clear } });
}
