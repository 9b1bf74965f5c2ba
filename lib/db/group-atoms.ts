import 'server-only';
// An alert's atom (migration 0017) and the keys of the groups it falls in, hashed the same way by
// the writer, the backfill and the reads that name a group.
import { createHash } from 'node:crypto';
import { CHAIN_SEPARATOR, PID_SEPARATOR } from '../falco/ancestry';
import { GROUPINGS, type Grouping, type GroupingCode, type GroupPart } from '../triage/groupings';

/** What an atom is made of; the columns `events` holds them in are named beside. */
export interface AtomValues {
  rule: string;
  /** image_repository, else hostname. */
  place: ['image', string] | ['host', string | null];
  /** process_chain's names, without pids. */
  chain: string[];
  user: string | null;
  namespace: string | null;
}

interface AtomColumns {
  rule: string;
  imageRepository: string | null;
  hostname: string | null;
  processChain: string | null;
  userName: string | null;
  k8sNamespace: string | null;
}

export const chainNames = (processChain: string | null): string[] =>
  processChain === null
    ? []
    : processChain.split(CHAIN_SEPARATOR).map((part) => {
        const end = part.indexOf(PID_SEPARATOR);
        return end === -1 ? part : part.slice(0, end);
      });

export const atomValues = (alert: AtomColumns): AtomValues => ({
  rule: alert.rule,
  place: alert.imageRepository !== null ? ['image', alert.imageRepository] : ['host', alert.hostname],
  chain: chainNames(alert.processChain),
  user: alert.userName,
  namespace: alert.k8sNamespace,
});

const hash8 = (text: string) => createHash('sha256').update(text).digest().subarray(0, 8);

/** The atom's identity: every part, kept apart by JSON. */
export const atomFingerprint = (values: AtomValues): Buffer =>
  hash8(JSON.stringify([values.rule, values.place, values.chain, values.user, values.namespace]));

/** The key of the group an atom falls in under a grouping. */
export function groupKey<G extends Grouping>(grouping: G, values: Pick<AtomValues, G['parts'][number]>): Buffer {
  const parts: readonly GroupPart[] = grouping.parts;
  const known = values as Partial<Pick<AtomValues, GroupPart>>;
  return hash8(JSON.stringify([grouping.code, ...parts.map((part) => known[part])]));
}

/** An atom's key under every grouping, by code. */
export const groupKeys = (values: AtomValues): Record<GroupingCode, Buffer> =>
  Object.fromEntries(GROUPINGS.map((g) => [g.code, groupKey(g, values)])) as Record<GroupingCode, Buffer>;

/** The column of group_atoms holding a grouping's keys; codes come from GROUPINGS, never from input. */
export const keyColumn = (grouping: Grouping) => `k_${grouping.code}`;
