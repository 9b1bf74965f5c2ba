import { NextResponse, type NextRequest } from 'next/server';
import { THEME_OVERRIDE_HEADER } from './lib/theme';

// A wall screen is dark unless its bookmarked URL says otherwise (`/kiosk?theme=light`).
const KIOSK_DEFAULT_THEME = 'dark';

export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  // falcosidekick's `webui` output posts to the bare URL it is given (`WEBUI_URL=http://perch:3000`
  // arrives as `POST /`), and falcosidekick-ui also took `POST /api/v1/`. Both go to the ingest
  // route, while `GET /` stays the dashboard.
  if ((request.method === 'POST' || request.method === 'PUT') && (pathname === '/' || pathname === '/api/v1' || pathname === '/api/v1/')) {
    const target = request.nextUrl.clone();
    target.pathname = '/api/v1/events/add';
    return NextResponse.rewrite(target);
  }
  if (pathname === '/kiosk') {
    const headers = new Headers(request.headers);
    headers.set(THEME_OVERRIDE_HEADER, request.nextUrl.searchParams.get('theme') ?? KIOSK_DEFAULT_THEME);
    return NextResponse.next({ request: { headers } });
  }
  return NextResponse.next();
}

export const config = { matcher: ['/', '/api/v1', '/api/v1/', '/kiosk'] };
