import { NextResponse, type NextRequest } from 'next/server';
import { getAccessConfig } from './lib/access/access-config';
import { contentSecurityPolicy, newNonce, staticSecurityHeaders } from './lib/access/security-headers';
import { describeViewer, resolveViewer, VIEW_COOKIE, VIEW_TOKEN_PARAM, VIEWER_HEADER } from './lib/access/viewer';
import { THEME_OVERRIDE_HEADER } from './lib/theme';

// Pages only (API routes and /metrics check access themselves, see lib/api/with-api.ts), plus
// the falcosidekick-ui ingest URLs rewritten below.
export const config = {
  matcher: ['/((?!api/|metrics$|_next/static|_next/image|icon.svg|favicon.ico).*)', '/api/v1', '/api/v1/'],
};

// A wall screen is dark unless its bookmarked URL says otherwise (`/kiosk?theme=light`).
const KIOSK_DEFAULT_THEME = 'dark';
const PUBLIC_PAGES = new Set(['/login']);

export function proxy(request: NextRequest) {
  const { pathname, searchParams } = request.nextUrl;
  // falcosidekick's `webui` output posts to the bare URL it is given (`WEBUI_URL=http://perch:3000`
  // arrives as `POST /`), and falcosidekick-ui also took `POST /api/v1/`. Both go to the ingest
  // route (which checks the ingest token), while `GET /` stays the dashboard.
  if ((request.method === 'POST' || request.method === 'PUT') && (pathname === '/' || pathname === '/api/v1' || pathname === '/api/v1/')) {
    const target = request.nextUrl.clone();
    target.pathname = '/api/v1/events/add';
    return NextResponse.rewrite(target);
  }
  if (pathname.startsWith('/api/')) return NextResponse.next();

  const access = getAccessConfig();
  const secure = request.headers.get('x-forwarded-proto') === 'https' || request.nextUrl.protocol === 'https:';
  const viewer = resolveViewer({ headers: request.headers, cookie: (name) => request.cookies.get(name)?.value, searchParams }, access);

  let response: NextResponse;
  if (viewer === null && !PUBLIC_PAGES.has(pathname)) {
    const login = request.nextUrl.clone();
    login.pathname = '/login';
    login.search = '';
    login.searchParams.set('next', `${pathname}${request.nextUrl.search}`);
    response = NextResponse.redirect(login, 303);
  } else if (viewer?.kind === 'view-token' && searchParams.has(VIEW_TOKEN_PARAM)) {
    // Trade the token in the URL for a cookie, and drop it from the address bar and history.
    const clean = request.nextUrl.clone();
    clean.searchParams.delete(VIEW_TOKEN_PARAM);
    response = NextResponse.redirect(clean, 303);
    response.cookies.set(VIEW_COOKIE, searchParams.get(VIEW_TOKEN_PARAM)!, {
      httpOnly: true, sameSite: 'lax', secure, path: request.nextUrl.basePath || '/', maxAge: 400 * 86_400,
    });
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
  for (const [name, value] of Object.entries(staticSecurityHeaders(access.frameAncestors))) response.headers.set(name, value);
  return response;
}
