// One Falco alert: what Falco and falcosidekick send (the schema) and what Perch stores (the
// normalised record with typed columns, tags, ancestry and the raw text as received).
import crypto from 'node:crypto';
import { z } from 'zod';
import { chainKey, extractAncestry, type AncestryLevel } from './ancestry';
import { containerHintsFromOutput, type ContainerHints } from './output-text';
import { findPriority, type PriorityName } from './priorities';
import { parseTimeNs } from './time';

const optionalText = z.string().nullish();

export const FalcoAlert = z.object({
  time: z.string().refine((t) => parseTimeNs(t) !== undefined, {
    message: 'time must be an RFC 3339 UTC time such as 2023-05-25T13:44:05.478445995Z',
  }),
  rule: z.string().min(1, 'rule must not be empty'),
  priority: z.string().refine((p) => findPriority(p) !== undefined, {
    message: 'priority must be one of Emergency, Alert, Critical, Error, Warning, Notice, Informational, Debug',
  }),
  output: optionalText,
  source: optionalText,
  hostname: optionalText,
  message: optionalText,
  uuid: optionalText,
  tags: z.array(z.string()).nullish(),
  output_fields: z.record(z.string(), z.unknown()).nullish(),
});
export type FalcoAlert = z.infer<typeof FalcoAlert>;

const isText = (value: unknown) => value === undefined || value === null || typeof value === 'string';

// zod's test for a record (zod/v4/core/util.js isPlainObject), so that checkedAlert accepts no object it refuses.
function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const ctor = (value as { constructor?: unknown }).constructor;
  if (ctor === undefined || typeof ctor !== 'function') return true;
  const proto: unknown = ctor.prototype;
  return typeof proto === 'object' && proto !== null && !Array.isArray(proto) && Object.hasOwn(proto, 'isPrototypeOf');
}

/**
 * The alert when FalcoAlert would accept it, checked by hand: zod's parse costs more per alert than
 * SQLite's insert. Undefined means "not sure": ask FalcoAlert, which also words the issues. Never
 * accepts what FalcoAlert refuses (alert.test.ts compares the two).
 */
export function checkedAlert(value: Record<string, unknown>): FalcoAlert | undefined {
  const { time, rule, priority, output, source, hostname, message, uuid, tags, output_fields: fields } = value;
  if (typeof time !== 'string' || typeof rule !== 'string' || rule === '' || typeof priority !== 'string')
    return undefined;
  if (!isText(output) || !isText(source) || !isText(hostname) || !isText(message) || !isText(uuid)) return undefined;
  if (tags !== undefined && tags !== null && !(Array.isArray(tags) && tags.every((tag) => typeof tag === 'string')))
    return undefined;
  if (fields !== undefined && fields !== null && !isRecord(fields)) return undefined;
  if (findPriority(priority) === undefined || parseTimeNs(time) === undefined) return undefined;
  return {
    time,
    rule,
    priority,
    output,
    source,
    hostname,
    message,
    uuid,
    tags: tags as string[] | null | undefined,
    output_fields: fields,
  };
}

export interface StoredAlert {
  dedupKey: Buffer;
  uuid: string | null;
  /** The time Perch orders, counts and retains by: Falco's, or the arrival when that was too far ahead. */
  timeNs: bigint;
  /** Falco's time when it was more than the allowed skew ahead of the arrival; null otherwise. */
  claimedTimeNs: bigint | null;
  priority: PriorityName;
  priorityRank: number;
  rule: string;
  source: string | null;
  hostname: string | null;
  internal: boolean;
  containerId: string | null;
  containerName: string | null;
  imageRepository: string | null;
  imageTag: string | null;
  k8sNamespace: string | null;
  k8sPod: string | null;
  userName: string | null;
  evtType: string | null;
  fdName: string | null;
  processChain: string | null;
  searchText: string;
  raw: string;
  tags: string[];
  ancestry: AncestryLevel[];
}

function firstText(fields: Record<string, unknown>, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = fields[key];
    if (typeof value === 'string' && value !== '' && value !== '<NA>') return value;
    if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  }
  return null;
}

// One user dimension across sources: the Linux user for syscalls, the actor for audit logs.
const USER_KEYS = ['user.name', 'ka.user.name', 'ct.user', 'okta.actor.name', 'github.user', 'gcp.user'] as const;
// For Kubernetes audit events the namespace of the target is the one an analyst filters by.
const NAMESPACE_KEYS = ['k8s.ns.name', 'ka.target.namespace'] as const;
const CONTAINER_ID_KEYS = ['container.id'] as const;
const CONTAINER_NAME_KEYS = ['container.name'] as const;
const IMAGE_KEYS = ['container.image'] as const;
const IMAGE_REPOSITORY_KEYS = ['container.image.repository'] as const;
const IMAGE_TAG_KEYS = ['container.image.tag'] as const;
const POD_KEYS = ['k8s.pod.name'] as const;
const EVT_TYPE_KEYS = ['evt.type'] as const;
const FD_NAME_KEYS = ['fd.name'] as const;

/**
 * `docker.io/library/nginx:1.25` → repository and tag. A port in the registry host is not a tag,
 * and a digest (`nginx@sha256:…`) is not one either.
 */
function splitImage(image: string): [string, string | null] {
  const at = image.indexOf('@');
  if (at > 0) return splitImage(image.slice(0, at));
  const colon = image.lastIndexOf(':');
  if (colon > image.lastIndexOf('/') && colon > 0) return [image.slice(0, colon), image.slice(colon + 1) || null];
  return [image, null];
}

function searchTextOf(alert: FalcoAlert, fields: Record<string, unknown>): string {
  const parts: string[] = [alert.rule, alert.output ?? '', alert.hostname ?? '', ...(alert.tags ?? [])];
  for (const value of Object.values(fields)) {
    if (typeof value === 'string') parts.push(value);
    else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
      parts.push(String(value));
    else if (Array.isArray(value)) parts.push(value.filter((v) => typeof v === 'string').join(' '));
  }
  return withoutPrivateUse(parts.join('\n').toLowerCase());
}

/** Private-use characters as word separators: only the facet tokens of the word index hold them (lib/db/facets.ts). */
export const withoutPrivateUse = (text: string) => text.replace(/\p{Co}/gu, ' ');

// One-shot hashing (Node 20.12+) is cheaper per alert than a Hash object (docs/decisions/0014); older
// Node uses the object.
const sha256: (text: string) => Buffer =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'buffer')
    : (text) => crypto.createHash('sha256').update(text).digest();

/** Content identity for alerts without a uuid: the same alert delivered twice is stored once. */
function dedupKeyOf(alert: FalcoAlert, timeNs: bigint): Buffer {
  const text = alert.uuid
    ? `uuid\u0000${alert.uuid}`
    : `${timeNs}\u0000${alert.rule}\u0000${alert.hostname ?? ''}\u0000${alert.output ?? ''}`;
  return sha256(text).subarray(0, 16);
}

/** When an alert arrived, and how far ahead of that its own time may be (PERCH_MAX_CLOCK_SKEW). */
export interface Arrival {
  nowNs: bigint;
  maxSkewNs: bigint;
}

/**
 * The record Perch stores. `alert` is the validated view; `fields` is the original output_fields
 * object (not a copy, so keys such as `__proto__` stay ordinary keys); `raw` the text as received.
 * With `arrival`, a time further ahead than the skew allows is replaced by the arrival time.
 */
export function toStoredAlert(
  alert: FalcoAlert,
  fields: Record<string, unknown>,
  raw: string,
  arrival?: Arrival,
): StoredAlert {
  const claimedNs = parseTimeNs(alert.time)!;
  // A sender's clock (or a forger) far ahead would otherwise top every list and outlive real alerts.
  const skewed = arrival !== undefined && claimedNs - arrival.nowNs > arrival.maxSkewNs;
  const timeNs = skewed ? arrival.nowNs : claimedNs;
  const priority = findPriority(alert.priority)!;
  // Read from the output text only when a field is missing: Falco 0.41+ sends them all.
  let hintsRead: ContainerHints | null | undefined;
  const hints = () =>
    hintsRead === undefined ? (hintsRead = alert.output ? containerHintsFromOutput(alert.output) : null) : hintsRead;

  let imageRepository = firstText(fields, IMAGE_REPOSITORY_KEYS);
  let imageTag = firstText(fields, IMAGE_TAG_KEYS);
  const fullImage = imageRepository ?? firstText(fields, IMAGE_KEYS) ?? hints()?.image ?? null;
  if (imageRepository === null && fullImage !== null) [imageRepository, imageTag] = splitImage(fullImage);
  imageTag ??= hints()?.imageTag ?? null;

  const ancestry = extractAncestry(fields);
  return {
    // Falco's own time, so that a redelivery arriving later is still the same alert.
    dedupKey: dedupKeyOf(alert, claimedNs),
    uuid: alert.uuid ?? null,
    timeNs,
    claimedTimeNs: skewed ? claimedNs : null,
    priority: priority.name,
    priorityRank: priority.rank,
    rule: alert.rule,
    source: alert.source ?? null,
    hostname: alert.hostname ?? null,
    internal: alert.source === 'internal' || alert.rule.startsWith('Falco internal:'),
    containerId: firstText(fields, CONTAINER_ID_KEYS) ?? hints()?.containerId ?? null,
    containerName: firstText(fields, CONTAINER_NAME_KEYS) ?? hints()?.containerName ?? null,
    imageRepository,
    imageTag,
    k8sNamespace: firstText(fields, NAMESPACE_KEYS) ?? hints()?.k8sNamespace ?? null,
    k8sPod: firstText(fields, POD_KEYS) ?? hints()?.k8sPod ?? null,
    userName: firstText(fields, USER_KEYS),
    evtType: firstText(fields, EVT_TYPE_KEYS),
    fdName: firstText(fields, FD_NAME_KEYS),
    processChain: chainKey(ancestry),
    searchText: searchTextOf(alert, fields),
    raw,
    tags: [...new Set(alert.tags ?? [])],
    ancestry,
  };
}
