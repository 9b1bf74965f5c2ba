// Ingest authentication. Falco's http_output cannot set headers, so besides a bearer token
// (falcosidekick `customheaders`) the token may arrive as the basic-auth password (libcurl turns
// http://falco:<token>@host/ into that header) or as `?token=`.
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../api/errors';

const digest = (text: string) => createHash('sha256').update(text).digest();

// The setting never changes while the server runs: hash it once, not on every alert.
let lastExpected: { token: string; digest: Buffer } | null = null;
function expectedDigest(token: string): Buffer {
  if (lastExpected?.token !== token) lastExpected = { token, digest: digest(token) };
  return lastExpected.digest;
}

/** What the check reads: the Authorization header and the query string. */
export interface TokenCarrier {
  authorization: string | null;
  searchParams: URLSearchParams;
}

function presentedTokens({ authorization: header, searchParams }: TokenCarrier): string[] {
  const tokens: string[] = [];
  const authorization = header ?? '';
  const [scheme = '', credentials = ''] = authorization.split(/\s+/, 2);
  if (/^bearer$/i.test(scheme)) tokens.push(credentials);
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    tokens.push(colon >= 0 ? decoded.slice(colon + 1) : decoded);
  }
  const query = searchParams.get('token');
  if (query !== null) tokens.push(query);
  return tokens;
}

/** Throws 401 unless the request carries the ingest token (compared in constant time). */
export function requireIngestToken(carrier: TokenCarrier, expected: string | null): void {
  if (expected === null) return;
  const wanted = expectedDigest(expected);
  const ok = presentedTokens(carrier).some((token) => timingSafeEqual(digest(token), wanted));
  if (!ok) {
    throw new ApiError(
      'unauthorized',
      'This Perch requires the ingest token: Authorization: Bearer <token>, basic-auth password, or ?token=<token>.',
      undefined,
      { 'www-authenticate': 'Bearer realm="perch-ingest", Basic realm="perch-ingest"' },
    );
  }
}
