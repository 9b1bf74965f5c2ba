// Who may see Perch: UI users with passwords, named read-only view tokens, and users vouched for by
// an authenticating reverse proxy. All off until configured; there is no default password.
import { BlockList, isIP } from 'node:net';
import { parseDurationMs } from '../duration';
import { parseAllowedHosts, type HostPolicy } from './allowed-hosts';
import { isPasswordHash } from './password';

export interface AccessConfig {
  /** Any way to log in is configured: anonymous readers are refused. */
  enabled: boolean;
  users: ReadonlyMap<string, string>;
  viewTokens: readonly { name: string; token: string }[];
  trustedUserHeader: string | null;
  trustedProxies: BlockList;
  sessionTtlMs: number;
  /** Who may embed Perch in a frame (CSP frame-ancestors); none by default. */
  frameAncestors: string;
  /** The Host names Perch answers to (PERCH_ALLOWED_HOSTS). */
  allowedHosts: HostPolicy;
}

export class AccessConfigError extends Error {}

/** `name:value` entries separated by commas, split at each entry's first colon. */
function namedEntries(text: string | undefined, setting: string): [string, string][] {
  if (!text) return [];
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const colon = entry.indexOf(':');
      if (colon <= 0 || colon === entry.length - 1)
        throw new AccessConfigError(`${setting}: "${entry.slice(0, 40)}" is not name:value`);
      return [entry.slice(0, colon), entry.slice(colon + 1)];
    });
}

function proxyList(text: string | undefined): BlockList {
  const list = new BlockList();
  for (const entry of (text ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address);
    if (family === 0)
      throw new AccessConfigError(`PERCH_TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range`);
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else {
      const bits = Number(prefix);
      if (!Number.isInteger(bits) || bits < 0 || bits > (family === 6 ? 128 : 32))
        throw new AccessConfigError(`PERCH_TRUSTED_PROXIES: "${entry}" has a bad prefix length`);
      list.addSubnet(address, bits, type);
    }
  }
  return list;
}

export function readAccessConfig(env: NodeJS.ProcessEnv): AccessConfig {
  const setting = (name: string) => env[name]?.trim() || undefined;
  const users = new Map<string, string>();
  for (const [name, hash] of namedEntries(setting('PERCH_UI_USERS'), 'PERCH_UI_USERS')) {
    if (!isPasswordHash(hash))
      throw new AccessConfigError(
        `PERCH_UI_USERS: the entry for "${name}" is not a hash from \`npm run hash-password\` (plain passwords are not accepted)`,
      );
    users.set(name, hash);
  }
  const viewTokens = namedEntries(setting('PERCH_VIEW_TOKENS'), 'PERCH_VIEW_TOKENS').map(([name, token]) => {
    if (token.length < 16)
      throw new AccessConfigError(`PERCH_VIEW_TOKENS: the token "${name}" is shorter than 16 characters`);
    return { name, token };
  });
  const trustedUserHeader = setting('PERCH_TRUSTED_USER_HEADER')?.toLowerCase() ?? null;
  const proxies = setting('PERCH_TRUSTED_PROXIES');
  if (trustedUserHeader && !proxies)
    throw new AccessConfigError(
      'PERCH_TRUSTED_USER_HEADER needs PERCH_TRUSTED_PROXIES: the addresses of the proxies allowed to set it',
    );
  const ttlText = setting('PERCH_SESSION_TTL') ?? '12h';
  const sessionTtlMs = parseDurationMs(ttlText);
  if (!sessionTtlMs) throw new AccessConfigError(`PERCH_SESSION_TTL=${ttlText} is not a duration such as 12h`);
  const frameAncestors = setting('PERCH_FRAME_ANCESTORS') ?? "'none'";
  if (/[;\r\n]/.test(frameAncestors))
    throw new AccessConfigError('PERCH_FRAME_ANCESTORS: a list of origins such as https://wall.example.com');
  const enabled = users.size > 0 || viewTokens.length > 0 || trustedUserHeader !== null;
  const allowedHosts = parseAllowedHosts(setting('PERCH_ALLOWED_HOSTS'), enabled);
  if ('bad' in allowedHosts)
    throw new AccessConfigError(
      `PERCH_ALLOWED_HOSTS: "${allowedHosts.bad.slice(0, 60)}" is not a host name such as perch.example.com or *.example.com (no scheme or port)`,
    );
  return {
    enabled,
    users,
    viewTokens,
    trustedUserHeader,
    trustedProxies: proxyList(proxies),
    sessionTtlMs,
    frameAncestors,
    allowedHosts,
  };
}

const holder = globalThis as typeof globalThis & { __perchAccessConfig?: AccessConfig };

export function getAccessConfig(): AccessConfig {
  holder.__perchAccessConfig ??= readAccessConfig(process.env);
  return holder.__perchAccessConfig;
}
