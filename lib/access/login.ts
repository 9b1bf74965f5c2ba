// POST /api/auth/login and /api/auth/logout, for the login form (redirects) and for scripts (JSON).
import { ApiError } from '../api/errors';
import { jsonResponse } from '../api/with-api';
import { BASE_PATH, withBasePath } from '../base-path';
import { readBodyText } from '../ingest/read-body';
import { getAccessConfig } from './access-config';
import { crossSiteRefusal, mediaType } from './cross-site';
import { isRefusal, loginChecks, loginLimiter, MAX_ADDRESS_FAILURES, MAX_USER_FAILURES } from './login-limiter';
import { verifyPassword } from './password';
import { createSession, endSession, SESSION_COOKIE } from './session';
import { clientAddress, cookieReader } from './viewer';

const MAX_LOGIN_BODY = 8_192;
// Checked when the user does not exist, so a wrong name takes as long as a wrong password.
const DECOY_HASH = 'scrypt$15$8$1$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
// Only resolves relative paths; never shown or fetched.
const PLACEHOLDER_ORIGIN = 'http://perch.invalid';

/**
 * Only a path on this site: `//evil.example`, `https://…`, and anything with a backslash or a
 * control character (URL parsers drop a tab, so `/<TAB>/evil.example` is `//evil.example`) send
 * the user to `/` instead. The answer is the path as a URL parser normalises it (non-ASCII escaped).
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || /[\u0000-\u001f\u007f-\u009f\\]/.test(next)) return '/';
  let url: URL;
  try {
    url = new URL(next, PLACEHOLDER_ORIGIN);
  } catch {
    return '/';
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  return url.origin === PLACEHOLDER_ORIGIN && path.startsWith('/') && !path.startsWith('//') ? path : '/';
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

function refuseCrossSite(request: Request): void {
  const refusal = crossSiteRefusal((name) => request.headers.get(name), getAccessConfig().allowedHosts);
  if (refusal) throw new ApiError('cross_site_request', refusal);
}

type LoginFormat = 'form' | 'json';

/** The login page's form, or JSON as a script sends it; anything else is what a cross-site form can send. */
function loginFormat(request: Request): LoginFormat {
  const type = mediaType(request.headers.get('content-type'));
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type === 'application/json') return 'json';
  throw new ApiError('cross_site_request', 'Send the login as JSON with Content-Type: application/json (or through the login page). Other content types are what a form on another site can send, so they are refused.');
}

function tooMany(format: LoginFormat, next: string, waitMs: number, message: string, pageError: string): Response {
  const retryAfter = String(Math.max(1, Math.ceil(waitMs / 1000)));
  if (format === 'form') return redirect(loginPage(pageError, next), { 'retry-after': retryAfter });
  throw new ApiError('too_many_login_attempts', message, undefined, { 'retry-after': retryAfter });
}

export async function loginResponse(request: Request): Promise<Response> {
  const config = getAccessConfig();
  if (config.users.size === 0) throw new ApiError('not_found', 'Password login is not enabled on this Perch (PERCH_UI_USERS is empty).');
  refuseCrossSite(request);
  const format = loginFormat(request);
  const text = await readBodyText(request, MAX_LOGIN_BODY);
  let fields: Record<string, unknown>;
  try {
    const parsed: unknown = format === 'form' ? Object.fromEntries(new URLSearchParams(text)) : JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) throw new TypeError('not an object');
    fields = parsed as Record<string, unknown>;
  } catch {
    throw new ApiError('invalid_json', 'Send {"user": "…", "password": "…"} as JSON or as a form.');
  }
  const user = typeof fields.user === 'string' ? fields.user : '';
  const password = typeof fields.password === 'string' ? fields.password : '';
  const next = safeNext(typeof fields.next === 'string' ? fields.next : null);

  // Unknown names count too, so the answers cannot tell which names exist.
  const hash = config.users.get(user);
  const ticket = loginLimiter().begin({ address: clientAddress(request.headers, config.trustedProxies), user, known: hash !== undefined });
  if (isRefusal(ticket)) {
    const minutes = Math.ceil(ticket.waitMs / 60_000);
    const message = ticket.by === 'address'
      ? `Too many failed logins from this address (${MAX_ADDRESS_FAILURES} in 15 minutes); try again in ${minutes} minute(s).`
      : `Too many failed logins for this user name (${MAX_USER_FAILURES} in 15 minutes); try again in ${minutes} minute(s).`;
    return tooMany(format, next, ticket.waitMs, message, 'locked');
  }
  const verified = await loginChecks().run(() => verifyPassword(password, hash ?? DECOY_HASH));
  if (verified === null) {
    ticket.released();
    return tooMany(format, next, 1_000, 'Perch is checking too many logins at once; try again in a second.', 'busy');
  }
  if (!verified || hash === undefined) {
    ticket.failed();
    if (format === 'form') return redirect(loginPage('invalid', next));
    throw new ApiError('unauthorized', 'Wrong user name or password.');
  }
  ticket.succeeded();
  const setCookie = cookie(SESSION_COOKIE, createSession(user, config.sessionTtlMs), request, Math.floor(config.sessionTtlMs / 1000));
  if (format === 'form') return redirect(next, { 'set-cookie': setCookie });
  return jsonResponse({ user }, { headers: { 'set-cookie': setCookie } });
}

export function logoutResponse(request: Request): Response {
  refuseCrossSite(request);
  endSession(cookieReader(request.headers)(SESSION_COOKIE));
  const clear = cookie(SESSION_COOKIE, '', request, 0);
  const isForm = mediaType(request.headers.get('content-type')) === 'application/x-www-form-urlencoded';
  return isForm ? redirect('/login?error=logged-out', { 'set-cookie': clear }) : new Response(null, { status: 204, headers: { 'set-cookie': clear } });
}
