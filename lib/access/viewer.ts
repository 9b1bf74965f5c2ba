// Who is asking: resolved the same way for pages (in proxy.ts) and for API routes (in withApi).
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP, type BlockList } from 'node:net';
import type { AccessConfig } from './access-config';
import { SESSION_COOKIE, sessionUser } from './session';

export const VIEW_COOKIE = 'perch_view';
/** `?view_token=` on a page URL: a wall screen's bookmark carries its read-only token (proxy.ts swaps it for VIEW_COOKIE). */
export const VIEW_TOKEN_PARAM = 'view_token';
/** Set by the server (lib/server/serve.ts) to `<per-process secret> <socket address>`; anything else is ignored. */
export const PEER_HEADER = 'x-perch-peer';

export type Viewer =
  | { kind: 'anyone' }
  | { kind: 'user'; name: string; via: 'password' | 'proxy' }
  | { kind: 'view-token'; name: string };

export interface RequestFacts {
  headers: Headers;
  cookie: (name: string) => string | undefined;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** The address of the connection's other end, as the server that accepted it saw it. */
export function peerAddress(headers: Headers): string | null {
  const secret = process.env.PERCH_PEER_SECRET;
  const value = headers.get(PEER_HEADER);
  if (!secret || !value) return null;
  const space = value.indexOf(' ');
  if (space < 0 || !timingSafeEqual(digest(value.slice(0, space)), digest(secret))) return null;
  return plainAddress(value.slice(space + 1));
}

// Node reports IPv4 clients of a dual-stack socket as ::ffff:a.b.c.d; proxies may add a port.
function plainAddress(text: string): string | null {
  let address = text.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1]!;
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(':'));
  address = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  return isIP(address) ? address : null;
}

const isTrusted = (address: string, proxies: BlockList) =>
  proxies.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');

/**
 * The client's address: the connection's, or behind PERCH_TRUSTED_PROXIES the right-most
 * X-Forwarded-For entry that is not itself one of them (entries further left are the client's own
 * words). Null when unknown: under `next start`, or when a trusted proxy wrote no usable address.
 */
export function clientAddress(headers: Headers, trustedProxies: BlockList): string | null {
  const peer = peerAddress(headers);
  if (peer === null || !isTrusted(peer, trustedProxies)) return peer;
  const hops = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = plainAddress(hops[i]!);
    if (hop === null) return null;
    if (!isTrusted(hop, trustedProxies)) return hop;
  }
  // Every hop is a trusted proxy: the left-most is the furthest one seen, the proxy itself when none.
  return hops.length > 0 ? plainAddress(hops[0]!) : peer;
}

export function viewTokenName(token: string | undefined | null, config: AccessConfig): string | null {
  if (!token) return null;
  const given = digest(token);
  // Every configured token is compared (no early exit), each in constant time.
  let name: string | null = null;
  for (const entry of config.viewTokens) if (timingSafeEqual(given, digest(entry.token))) name = entry.name;
  return name;
}

function bearerToken(headers: Headers): string | null {
  const match = /^bearer\s+(\S+)$/i.exec(headers.get('authorization') ?? '');
  return match?.[1] ?? null;
}

/** The viewer, or null when access is enabled and the request proves nothing. */
export function resolveViewer(request: RequestFacts, config: AccessConfig): Viewer | null {
  if (!config.enabled) return { kind: 'anyone' };
  if (config.trustedUserHeader) {
    const user = request.headers.get(config.trustedUserHeader)?.trim();
    const peer = peerAddress(request.headers);
    if (user && peer && isTrusted(peer, config.trustedProxies)) return { kind: 'user', name: user, via: 'proxy' };
  }
  const user = sessionUser(request.cookie(SESSION_COOKIE));
  if (user !== null && config.users.has(user)) return { kind: 'user', name: user, via: 'password' };
  for (const token of [request.cookie(VIEW_COOKIE), bearerToken(request.headers)]) {
    const name = viewTokenName(token, config);
    if (name !== null) return { kind: 'view-token', name };
  }
  return null;
}

/** Reads the cookies of a standard Request (route handlers). */
export function cookieReader(headers: Headers): (name: string) => string | undefined {
  const header = headers.get('cookie') ?? '';
  return (name) => {
    for (const part of header.split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === name) {
        try {
          return decodeURIComponent(part.slice(eq + 1).trim());
        } catch {
          return undefined;
        }
      }
    }
    return undefined;
  };
}

/** Set by proxy.ts on page requests (who is looking); any value a client sends is replaced. */
export const VIEWER_HEADER = 'x-perch-viewer';

/** `anyone`, `user:<name>`, `proxy-user:<name>` or `view:<token name>`, for VIEWER_HEADER. */
export function describeViewer(viewer: Viewer | null): string {
  if (viewer === null) return 'none';
  if (viewer.kind === 'anyone') return 'anyone';
  const prefix = viewer.kind === 'view-token' ? 'view' : viewer.via === 'proxy' ? 'proxy-user' : 'user';
  return `${prefix}:${encodeURIComponent(viewer.name)}`;
}

export function parseViewerHeader(value: string | null): Viewer | null {
  if (value === 'anyone') return { kind: 'anyone' };
  const match = /^(user|proxy-user|view):(.+)$/.exec(value ?? '');
  if (!match) return null;
  const name = decodeURIComponent(match[2]!);
  if (match[1] === 'view') return { kind: 'view-token', name };
  return { kind: 'user', name, via: match[1] === 'proxy-user' ? 'proxy' : 'password' };
}
