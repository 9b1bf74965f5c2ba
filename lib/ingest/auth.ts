// Ingest authentication. Falco's http_output cannot set headers, so besides a bearer token
// (falcosidekick `customheaders`) the token may arrive as the basic-auth password (libcurl turns
// http://falco:<token>@host/ into that header) or as `?token=`.
import { createHash, timingSafeEqual } from 'node:crypto';
import { getAccessConfig } from '../access/access-config';
import { crossSiteRefusal, isFormContentType, type HeaderReader } from '../access/cross-site';
import { DomainError, IngestTokenRequired } from '../errors';

const digest = (text: string) => createHash('sha256').update(text).digest();

// The setting never changes while the server runs: hash it once, not on every alert.
let lastExpected: { token: string; digest: Buffer } | null = null;
function expectedDigest(token: string): Buffer {
  if (lastExpected?.token !== token) lastExpected = { token, digest: digest(token) };
  return lastExpected.digest;
}

/** What the check reads: the Authorization header, the query string, and the headers browsers set. */
export interface TokenCarrier {
  authorization: string | null;
  searchParams: URLSearchParams;
  /** Origin, Sec-Fetch-Site, Host, X-Forwarded-Host and Content-Type, for refuseBrowserPosts. */
  header?: HeaderReader;
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

/**
 * Throws 403 for what only a browser sends: a form's content type, or another site's Origin or
 * Sec-Fetch-Site. On an open ingest URL a page on any site could otherwise post alerts through its
 * visitors' browsers; Falco and falcosidekick send JSON (or text/plain) and neither header.
 */
function refuseBrowserPosts(header: HeaderReader): void {
  if (isFormContentType(header('content-type'))) {
    throw new DomainError(
      'cross_site_request',
      'Send alerts as JSON (application/json, text/plain or NDJSON); a form content type is what a web page sends, so it is refused.',
    );
  }
  const refusal = crossSiteRefusal(header, getAccessConfig().allowedHosts);
  if (refusal) throw new DomainError('cross_site_request', refusal);
}

/** Throws 401 unless the request carries the ingest token (compared in constant time); 403 for browser posts. */
export function requireIngestToken(carrier: TokenCarrier, expected: string | null): void {
  if (carrier.header) refuseBrowserPosts(carrier.header);
  if (expected === null) return;
  const wanted = expectedDigest(expected);
  const ok = presentedTokens(carrier).some((token) => timingSafeEqual(digest(token), wanted));
  if (!ok) {
    throw new IngestTokenRequired(
      'This Perch requires the ingest token: Authorization: Bearer <token>, basic-auth password, or ?token=<token>.',
    );
  }
}
