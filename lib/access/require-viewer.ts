import { NotAuthenticated } from '../errors';
import { getAccessConfig } from './access-config';
import { cookieReader, resolveViewer, type Viewer } from './viewer';

/** The viewer of an API request, or null when access is enabled and the request proves nothing. */
export function viewerOf(request: Request): Viewer | null {
  return resolveViewer({ headers: request.headers, cookie: cookieReader(request.headers) }, getAccessConfig());
}

/** Throws NotAuthenticated unless the request may read alerts (a session, a view token, a trusted proxy's user, or login is off). */
export function requireViewer(request: Request): Viewer {
  const viewer = viewerOf(request);
  if (viewer) return viewer;
  throw new NotAuthenticated('Log in to Perch first, or send a view token (Authorization: Bearer <token>).');
}
