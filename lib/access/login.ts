// Logging in and out, for the login form (redirects) and for scripts (JSON). Returns what happened;
// lib/api/auth.ts turns it into the cookie, the redirect or the JSON.
import { DomainError } from '../errors';
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
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses.
  if (!next?.startsWith('/') || /[\u0000-\u001f\u007f-\u009f\\]/.test(next)) return '/';
  let url: URL;
  try {
    url = new URL(next, PLACEHOLDER_ORIGIN);
  } catch {
    return '/';
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  return url.origin === PLACEHOLDER_ORIGIN && path.startsWith('/') && !path.startsWith('//') ? path : '/';
}

type LoginFormat = 'form' | 'json';

/** What a login or logout request brings: its headers, and its body read up to a limit. */
export interface AuthRequest {
  headers: Headers;
  readBody(maxBytes: number): Promise<string>;
}

/** The session cookie to set: a value and how long it lasts (0 clears it). */
export interface SessionCookie {
  name: string;
  value: string;
  maxAgeSeconds: number;
}

/** A form login ends on a page (`redirectTo`, a path of this site); a script's in JSON. */
export type LoginOutcome =
  | { format: 'form'; redirectTo: string; retryAfterSeconds?: number; cookie?: SessionCookie }
  | { format: 'json'; user: string; cookie: SessionCookie };

export interface LogoutOutcome {
  format: LoginFormat;
  redirectTo?: string;
  cookie: SessionCookie;
}

function loginPage(error: string, next: string): string {
  return `/login?${new URLSearchParams({ error, next }).toString()}`;
}

function refuseCrossSite(headers: Headers): void {
  const refusal = crossSiteRefusal((name) => headers.get(name), getAccessConfig().allowedHosts);
  if (refusal) throw new DomainError('cross_site_request', refusal);
}

/** The login page's form, or JSON as a script sends it; anything else is what a cross-site form can send. */
function loginFormat(headers: Headers): LoginFormat {
  const type = mediaType(headers.get('content-type'));
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type === 'application/json') return 'json';
  throw new DomainError(
    'cross_site_request',
    'Send the login as JSON with Content-Type: application/json (or through the login page). Other content types are what a form on another site can send, so they are refused.',
  );
}

function tooMany(format: LoginFormat, next: string, waitMs: number, message: string, pageError: string): LoginOutcome {
  const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
  if (format === 'form') return { format, redirectTo: loginPage(pageError, next), retryAfterSeconds };
  throw new DomainError('too_many_login_attempts', message, undefined, retryAfterSeconds);
}

export async function logIn(request: AuthRequest): Promise<LoginOutcome> {
  const config = getAccessConfig();
  if (config.users.size === 0)
    throw new DomainError('not_found', 'Password login is not enabled on this Perch (PERCH_UI_USERS is empty).');
  refuseCrossSite(request.headers);
  const format = loginFormat(request.headers);
  const text = await request.readBody(MAX_LOGIN_BODY);
  let fields: Record<string, unknown>;
  try {
    const parsed: unknown = format === 'form' ? Object.fromEntries(new URLSearchParams(text)) : JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) throw new TypeError('not an object');
    fields = parsed as Record<string, unknown>;
  } catch {
    throw new DomainError('invalid_json', 'Send {"user": "…", "password": "…"} as JSON or as a form.');
  }
  const user = typeof fields.user === 'string' ? fields.user : '';
  const password = typeof fields.password === 'string' ? fields.password : '';
  const next = safeNext(typeof fields.next === 'string' ? fields.next : null);

  // Unknown names count too, so the answers cannot tell which names exist.
  const hash = config.users.get(user);
  const ticket = loginLimiter().begin({
    address: clientAddress(request.headers, config.trustedProxies),
    user,
    known: hash !== undefined,
  });
  if (isRefusal(ticket)) {
    const minutes = Math.ceil(ticket.waitMs / 60_000);
    const message =
      ticket.by === 'address'
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
    if (format === 'form') return { format, redirectTo: loginPage('invalid', next) };
    throw new DomainError('unauthorized', 'Wrong user name or password.');
  }
  ticket.succeeded();
  const cookie = {
    name: SESSION_COOKIE,
    value: createSession(user, config.sessionTtlMs),
    maxAgeSeconds: Math.floor(config.sessionTtlMs / 1000),
  };
  return format === 'form' ? { format, redirectTo: next, cookie } : { format, user, cookie };
}

export function logOut(headers: Headers): LogoutOutcome {
  refuseCrossSite(headers);
  endSession(cookieReader(headers)(SESSION_COOKIE));
  const cookie = { name: SESSION_COOKIE, value: '', maxAgeSeconds: 0 };
  const isForm = mediaType(headers.get('content-type')) === 'application/x-www-form-urlencoded';
  return isForm ? { format: 'form', redirectTo: '/login?error=logged-out', cookie } : { format: 'json', cookie };
}
