import { NextResponse, type NextRequest } from 'next/server';

// falcosidekick's `webui` output posts to the bare URL it is given (`WEBUI_URL=http://perch:3000`
// arrives as `POST /`), and falcosidekick-ui also took `POST /api/v1/`. Both go to the ingest
// route, while `GET /` stays the dashboard.
export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if ((request.method === 'POST' || request.method === 'PUT') && (pathname === '/' || pathname === '/api/v1' || pathname === '/api/v1/')) {
    const target = request.nextUrl.clone();
    target.pathname = '/api/v1/events/add';
    return NextResponse.rewrite(target);
  }
  return NextResponse.next();
}

export const config = { matcher: ['/', '/api/v1', '/api/v1/'] };
