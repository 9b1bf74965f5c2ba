import { NextResponse, type NextRequest } from 'next/server';
import { getAccessConfig } from './lib/access/access-config';
import { hostAllowed, HOST_REFUSED_MESSAGE } from './lib/access/allowed-hosts';
import { contentSecurityPolicy, newNonce, staticSecurityHeaders } from './lib/access/security-headers';
import {
  describeViewer,
  resolveViewer,
  VIEW_COOKIE,
  VIEW_TOKEN_PARAM,
  VIEWER_HEADER,
  viewTokenName,
} from './lib/access/viewer';
import { allowHeader, methodNotAllowedBody, takesVerb, type DeclaredVerb } from './lib/api/verbs';
import { THEME_OVERRIDE_HEADER } from './lib/theme';

// Pages only (API routes and /metrics check access themselves, see lib/api/with-api.ts), plus
// the falcosidekick-ui ingest URLs rewritten below.
export const config = {
  matcher: ['/((?!api/|metrics$|_next/static|_next/image|icon.svg|favicon.ico).*)', '/api/v1', '/api/v1/'],
};

// A wall screen is dark unless its bookmarked URL says otherwise (`/kiosk?theme=light`).
const KIOSK_DEFAULT_THEME = 'dark';
const PUBLIC_PAGES = new Set(['/login']);

// `/` is a page and an ingest URL (above); `/api/v1` only an ingest URL.
function verbsOf(pathname: string): DeclaredVerb[] {
  if (pathname === '/') return ['GET', 'POST', 'PUT'];
  if (pathname === '/api/v1' || pathname === '/api/v1/') return ['POST', 'PUT'];
  return ['GET'];
}

/** OPTIONS, or the JSON 405 (lib/api/verbs.ts, as route handlers answer them). */
function verbAnswer(method: string, declared: DeclaredVerb[], securityHeaders: Record<string, string>): NextResponse {
  const headers = { allow: allowHeader(declared), 'cache-control': 'no-store', ...securityHeaders };
  if (method === 'OPTIONS') return new NextResponse(null, { status: 204, headers });
  return NextResponse.json(methodNotAllowedBody(declared), {
    status: 405,
    headers: { ...headers, 'content-type': 'application/json; charset=utf-8' },
  });
}

export function proxy(request: NextRequest) {
  const { pathname, searchParams } = request.nextUrl;
  // falcosidekick's `webui` output posts to the bare URL it is given (`WEBUI_URL=http://perch:3000`
  // arrives as `POST /`), and falcosidekick-ui also took `POST /api/v1/`. Both go to the ingest
  // route (which checks the ingest token), while `GET /` stays the dashboard.
  const ingestUrl = pathname === '/' || pathname === '/api/v1' || pathname === '/api/v1/';
  if ((request.method === 'POST' || request.method === 'PUT') && ingestUrl) {
    const target = request.nextUrl.clone();
    target.pathname = '/api/v1/events/add';
    return NextResponse.rewrite(target);
  }

  const access = getAccessConfig();
  // The server (lib/server/serve.ts) refuses such hosts before Next for every URL; under `next start` this covers pages.
  const host = request.headers.get('host');
  if (!hostAllowed(host, access.allowedHosts)) {
    return new NextResponse(`${HOST_REFUSED_MESSAGE(host!)}\n`, {
      status: 421,
      headers: {
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': 'no-store',
        ...staticSecurityHeaders(access.frameAncestors),
      },
    });
  }
  // Pages take GET (and HEAD); other verbs are answered before the login check: they reveal nothing.
  const declared = verbsOf(pathname);
  if (!takesVerb(declared, request.method) || request.method === 'OPTIONS') {
    return verbAnswer(request.method, declared, staticSecurityHeaders(access.frameAncestors));
  }
  const secure = request.headers.get('x-forwarded-proto') === 'https' || request.nextUrl.protocol === 'https:';
  const viewer = resolveViewer(
    { headers: request.headers, cookie: (name) => request.cookies.get(name)?.value },
    access,
  );
  const urlToken = searchParams.get(VIEW_TOKEN_PARAM);
  const urlTokenName = urlToken === null ? null : viewTokenName(urlToken, access);

  let response: NextResponse;
  if (viewer === null && urlTokenName === null && !PUBLIC_PAGES.has(pathname)) {
    const login = request.nextUrl.clone();
    login.pathname = '/login';
    login.search = '';
    let search = request.nextUrl.search;
    if (urlToken !== null) {
      const rest = new URLSearchParams(searchParams);
      rest.delete(VIEW_TOKEN_PARAM); // a wrong or revoked token need not travel on
      search = rest.size > 0 ? `?${rest.toString()}` : '';
    }
    login.searchParams.set('next', `${pathname}${search}`);
    response = NextResponse.redirect(login, 303);
  } else if (urlToken !== null) {
    // The token leaves the address bar and history, whoever is looking. It becomes the view cookie
    // unless a user is logged in: a view cookie would outlast their logout.
    const clean = request.nextUrl.clone();
    clean.searchParams.delete(VIEW_TOKEN_PARAM);
    response = NextResponse.redirect(clean, 303);
    if (urlTokenName !== null && viewer?.kind !== 'user') {
      response.cookies.set(VIEW_COOKIE, urlToken, {
        httpOnly: true,
        sameSite: 'lax',
        secure,
        path: request.nextUrl.basePath || '/',
        maxAge: 400 * 86_400,
      });
    }
  } else {
    const nonce = newNonce();
    const csp = contentSecurityPolicy(nonce, access.frameAncestors);
    const headers = new Headers(request.headers);
    // Next reads the nonce from this request header and puts it on its own scripts.
    headers.set('content-security-policy', csp);
    headers.set(VIEWER_HEADER, describeViewer(viewer));
    if (pathname === '/kiosk') headers.set(THEME_OVERRIDE_HEADER, searchParams.get('theme') ?? KIOSK_DEFAULT_THEME);
    else headers.delete(THEME_OVERRIDE_HEADER);
    response = NextResponse.next({ request: { headers } });
    response.headers.set('content-security-policy', csp);
  }
  for (const [name, value] of Object.entries(staticSecurityHeaders(access.frameAncestors)))
    response.headers.set(name, value);
  return response;
}
