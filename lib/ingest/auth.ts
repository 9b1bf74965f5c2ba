// Ingest authentication. Falco's http_output cannot set headers, so besides a bearer token
// (falcosidekick `customheaders`) the token may arrive as the basic-auth password (libcurl turns
// http://falco:<token>@host/ into that header) or as `?token=`.
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../api/errors';

const digest = (text: string) => createHash('sha256').update(text).digest();

function presentedTokens(request: Request): string[] {
  const tokens: string[] = [];
  const authorization = request.headers.get('authorization') ?? '';
  const [scheme = '', credentials = ''] = authorization.split(/\s+/, 2);
  if (/^bearer$/i.test(scheme)) tokens.push(credentials);
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    tokens.push(colon >= 0 ? decoded.slice(colon + 1) : decoded);
  }
  const query = new URL(request.url).searchParams.get('token');
  if (query !== null) tokens.push(query);
  return tokens;
}

/** Throws 401 unless the request carries the ingest token (compared in constant time). */
export function requireIngestToken(request: Request, expected: string | null): void {
  if (expected === null) return;
  const wanted = digest(expected);
  const ok = presentedTokens(request).some((token) => timingSafeEqual(digest(token), wanted));
  if (!ok) {
    throw new ApiError(
      'unauthorized',
      'This Perch requires the ingest token: Authorization: Bearer <token>, basic-auth password, or ?token=<token>.',
      undefined,
      { 'www-authenticate': 'Bearer realm="perch-ingest", Basic realm="perch-ingest"' },
    );
  }
}
