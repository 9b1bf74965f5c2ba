// PERCH_ALLOWED_HOSTS: a DNS-rebinding page reaches Perch under the attacker's own name, so other
// names are refused. IP literals (rebinding needs a name) and localhost names are always allowed.
import { isIP } from 'node:net';

export interface HostPolicy {
  /** Every name is allowed: login is on and PERCH_ALLOWED_HOSTS is unset, or it says `*`. */
  any: boolean;
  names: ReadonlySet<string>;
  /** From `*.example.com` entries: `.example.com`. */
  suffixes: readonly string[];
}

const NAME = /^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/;

/** Parses the setting; returns the first bad entry's text instead when there is one. */
export function parseAllowedHosts(text: string | undefined, loginOn: boolean): HostPolicy | { bad: string } {
  const entries = (text ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase().replace(/\.$/, ''))
    .filter(Boolean);
  const names = new Set<string>();
  const suffixes: string[] = [];
  for (const entry of entries) {
    if (entry === '*') return { any: true, names, suffixes };
    if (!NAME.test(entry) && isIP(entry) === 0) return { bad: entry };
    if (entry.startsWith('*.')) suffixes.push(entry.slice(1));
    else names.add(entry);
  }
  return { any: loginOn && entries.length === 0, names, suffixes };
}

/** The name in a Host header, lower case, without port or trailing dot; IPv6 without brackets. */
function hostName(header: string): string {
  const host = header.trim().toLowerCase();
  const bracketed = /^\[([^\]]*)\](?::\d*)?$/.exec(host);
  if (bracketed) return bracketed[1]!;
  if (isIP(host) === 6) return host;
  return host.replace(/:\d*$/, '').replace(/\.$/, '');
}

/** Whether a request with this Host header may be answered; a request without one (no browser sends that) may. */
export function hostAllowed(header: string | null | undefined, policy: HostPolicy): boolean {
  if (policy.any || !header) return true;
  const name = hostName(header);
  if (isIP(name) !== 0 || name === 'localhost' || name.endsWith('.localhost')) return true;
  return policy.names.has(name) || policy.suffixes.some((suffix) => name.endsWith(suffix));
}

export const HOST_REFUSED_MESSAGE = (header: string) =>
  `This Perch does not answer to the name "${hostName(header).slice(0, 100)}" (a DNS-rebinding guard). If it is yours, add it to PERCH_ALLOWED_HOSTS (comma-separated names, or * for any) and restart.`;
