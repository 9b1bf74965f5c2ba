// Login, logout and ingest must not be driven by another site's page. Browsers say where a request
// comes from (Sec-Fetch-Site, Origin), which no page can forge; scripts, Falco and falcosidekick send
// neither. A page cannot add X-Forwarded-Host either without a CORS preflight, which Perch never grants.
import { hostAllowed, HOST_REFUSED_MESSAGE, type HostPolicy } from './allowed-hosts';

export type HeaderReader = (name: string) => string | null | undefined;

/** `host[:port]` in lower case, without the scheme's default port. */
function authority(host: string, scheme: 'http:' | 'https:' | null): string {
  const lower = host.trim().toLowerCase();
  if ((scheme === 'http:' || scheme === null) && lower.endsWith(':80')) return lower.slice(0, -3);
  if ((scheme === 'https:' || scheme === null) && lower.endsWith(':443')) return lower.slice(0, -4);
  return lower;
}

/** The browser's Origin names the host the request went to: directly, or as a proxy forwarded it. */
function originMatches(origin: string, header: HeaderReader): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // `null` (sandboxed frames, file: pages, some redirects) included
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const from = authority(url.host, url.protocol);
  const forwarded = header('x-forwarded-host')?.split(',')[0];
  return [header('host'), forwarded].some((host) => !!host && authority(host, null) === from);
}

/** Why a browser's request must be refused as coming from another site, or null when it need not be. */
export function crossSiteRefusal(header: HeaderReader, allowedHosts: HostPolicy): string | null {
  const fetchSite = header('sec-fetch-site')?.trim().toLowerCase();
  const origin = header('origin')?.trim();
  if (!fetchSite && !origin) return null;
  // Sec-Fetch-Site is the browser's own verdict, right behind any proxy; `none`: typed or bookmarked.
  const sameOrigin = fetchSite ? fetchSite === 'same-origin' || fetchSite === 'none' : originMatches(origin!, header);
  if (!sameOrigin) {
    return `Refused: this request came from another site's page (Origin ${JSON.stringify((origin ?? 'unknown').slice(0, 100))}, Sec-Fetch-Site ${fetchSite ?? 'unset'}). Perch's own pages and non-browser clients are not affected.`;
  }
  // A DNS-rebinding page is same-origin under the attacker's name.
  const host = header('host');
  if (host && !hostAllowed(host, allowedHosts)) return HOST_REFUSED_MESSAGE(host);
  return null;
}

/** A Content-Type header's media type, lower case, without its parameters. */
export const mediaType = (contentType: string | null | undefined) =>
  (contentType ?? '').split(';')[0]!.trim().toLowerCase();

/** Content types that HTML forms send and Falco, falcosidekick and scripts never need. */
export function isFormContentType(contentType: string | null | undefined): boolean {
  const type = mediaType(contentType);
  return type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data';
}
