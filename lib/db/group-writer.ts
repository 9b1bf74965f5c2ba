import 'server-only';
// What a batch of new alerts adds to the groups of migration 0017: each alert's atom found or made
// before its row is written (the row holds it), and its groups' counts, its places and newest alert
// summed in memory and written once in the batch's transaction.
import type { StoredAlert } from '../falco/alert';
import { GROUPINGS } from '../triage/groupings';
import type { Db } from './connection';
import { atomFingerprint, atomValues, groupKeys, keyColumn } from './group-atoms';
import { NS_PER_HALF_DAY } from './periods';

interface AtomSpan {
  firstNs: bigint;
  lastNs: bigint;
  sampleId: number;
}

interface GroupCount {
  grouping: string;
  key: Buffer;
  halfDay: bigint;
  internal: number;
  priorityRank: number;
  alerts: number;
  firstNs: bigint;
  lastNs: bigint;
}

const KEY_COLUMNS = GROUPINGS.map(keyColumn);

/** An atom's group under each grouping, in GROUPINGS' order, and the keys in hex for the batch's sums. */
interface AtomKeys {
  keys: Buffer[];
  hex: string[];
}
const atomKeys = (keys: Buffer[]): AtomKeys => ({ keys, hex: keys.map((key) => key.toString('hex')) });

export function prepareGroupWriter(db: Db) {
  const findAtom = db
    .prepare<[Buffer], unknown[]>(`SELECT id, ${KEY_COLUMNS.join(', ')} FROM group_atoms WHERE fingerprint = ?`)
    .raw();
  const insertAtom = db.prepare<unknown[]>(
    `INSERT INTO group_atoms (fingerprint, ${KEY_COLUMNS.join(', ')}, sample_id, first_ns, last_ns)
     VALUES (?, ${KEY_COLUMNS.map(() => '?').join(', ')}, 0, ?, ?)`,
  );
  const updateAtom = db.prepare(
    `UPDATE group_atoms SET first_ns = min(first_ns, @firstNs),
       sample_id = CASE WHEN @lastNs >= last_ns THEN @sampleId ELSE sample_id END, last_ns = max(last_ns, @lastNs)
     WHERE id = @id`,
  );
  const upsertCount =
    db.prepare(`INSERT INTO group_counts_12h (grouping, key, half_day, internal, priority_rank, alerts, first_ns, last_ns)
    VALUES (@grouping, @key, @halfDay, @internal, @priorityRank, @alerts, @firstNs, @lastNs)
    ON CONFLICT DO UPDATE SET alerts = alerts + excluded.alerts, first_ns = min(first_ns, excluded.first_ns), last_ns = max(last_ns, excluded.last_ns)`);
  const insertPlace =
    db.prepare(`INSERT OR IGNORE INTO group_places_12h (group_id, half_day, priority_rank, container_id, hostname)
    VALUES (?, ?, ?, coalesce(?, x''), coalesce(?, x''))`);

  /** Sums for one batch: `atomOf` before an alert's row is written, `add` after, `write` at the end. */
  return () => {
    const atoms = new Map<string, number>();
    const keysOf = new Map<number, AtomKeys>();
    const spans = new Map<number, AtomSpan>();
    const counts = new Map<string, GroupCount>();
    const places = new Map<string, [number, bigint, number, string | null, string | null]>();
    return {
      /** The alert's atom id, made if it is new. */
      atomOf(alert: StoredAlert): number {
        const values = atomValues(alert);
        const fingerprint = atomFingerprint(values);
        const text = fingerprint.toString('latin1');
        const known = atoms.get(text);
        if (known !== undefined) return known;
        const found = findAtom.get(fingerprint);
        let id: number;
        if (found) {
          id = found[0] as number;
          keysOf.set(id, atomKeys(found.slice(1) as Buffer[]));
        } else {
          const keys = groupKeys(values);
          const list = GROUPINGS.map((g) => keys[g.code]);
          id = Number(insertAtom.run(fingerprint, ...list, alert.timeNs, alert.timeNs).lastInsertRowid);
          keysOf.set(id, atomKeys(list));
        }
        atoms.set(text, id);
        return id;
      },
      add(alert: StoredAlert, id: number, atomId: number) {
        const span = spans.get(atomId);
        if (!span) spans.set(atomId, { firstNs: alert.timeNs, lastNs: alert.timeNs, sampleId: id });
        else {
          if (alert.timeNs < span.firstNs) span.firstNs = alert.timeNs;
          if (alert.timeNs >= span.lastNs) [span.lastNs, span.sampleId] = [alert.timeNs, id];
        }
        const halfDay = alert.timeNs / NS_PER_HALF_DAY;
        const internal = alert.internal ? 1 : 0;
        const { keys, hex } = keysOf.get(atomId)!;
        GROUPINGS.forEach((grouping, i) => {
          const countKey = `${hex[i]}:${halfDay}:${internal}:${alert.priorityRank}`;
          const count = counts.get(countKey);
          if (!count)
            counts.set(countKey, {
              grouping: grouping.code,
              key: keys[i]!,
              halfDay,
              internal,
              priorityRank: alert.priorityRank,
              alerts: 1,
              firstNs: alert.timeNs,
              lastNs: alert.timeNs,
            });
          else {
            count.alerts++;
            if (alert.timeNs < count.firstNs) count.firstNs = alert.timeNs;
            if (alert.timeNs > count.lastNs) count.lastNs = alert.timeNs;
          }
        });
        // JSON keeps null and '' apart, as the table's x'' does.
        const place = JSON.stringify([atomId, String(halfDay), alert.priorityRank, alert.containerId, alert.hostname]);
        if (!places.has(place))
          places.set(place, [atomId, halfDay, alert.priorityRank, alert.containerId, alert.hostname]);
      },
      write() {
        for (const count of counts.values()) upsertCount.run(count);
        for (const place of places.values()) insertPlace.run(...place);
        for (const [id, span] of spans) updateAtom.run({ id, ...span });
      },
    };
  };
}

type StoredColumns = Pick<
  StoredAlert,
  | 'timeNs'
  | 'internal'
  | 'priorityRank'
  | 'rule'
  | 'hostname'
  | 'containerId'
  | 'imageRepository'
  | 'processChain'
  | 'userName'
  | 'k8sNamespace'
>;

/** Whether every stored alert has its group (migration 0017's backfill is done). */
export const groupsReady = (db: Db): boolean =>
  db.prepare<[], number>('SELECT from_id FROM group_backfill').pluck().get() === 0;

/**
 * Gives up to `batch` of the newest alerts without a group theirs, in one transaction; returns how
 * many it read (0 when none are left).
 */
export function backfillGroups(db: Db, batch: number): number {
  const read = db
    .prepare<[bigint, number], Record<string, bigint | string | null>>(
      `SELECT id, time_ns, internal, priority_rank, rule, hostname, container_id, image_repository, process_chain, user_name, k8s_ns
       FROM events WHERE id < ? ORDER BY id DESC LIMIT ?`,
    )
    .safeIntegers(true);
  const setGroup = db.prepare('UPDATE events SET group_id = ? WHERE id = ?');
  const fromId = db.prepare<[], bigint>('SELECT from_id FROM group_backfill').pluck().safeIntegers(true);
  const moveTo = db.prepare('UPDATE group_backfill SET from_id = ?');
  const groups = prepareGroupWriter(db)();
  return db
    .transaction(() => {
      const from = fromId.get()!;
      if (from === 0n) return 0;
      const rows = read.all(from, batch);
      for (const row of rows) {
        const alert = {
          timeNs: row.time_ns as bigint,
          internal: row.internal === 1n,
          priorityRank: Number(row.priority_rank),
          rule: row.rule as string,
          hostname: row.hostname as string | null,
          containerId: row.container_id as string | null,
          imageRepository: row.image_repository as string | null,
          processChain: row.process_chain as string | null,
          userName: row.user_name as string | null,
          k8sNamespace: row.k8s_ns as string | null,
        } satisfies StoredColumns as StoredAlert;
        const id = Number(row.id);
        const atomId = groups.atomOf(alert);
        setGroup.run(atomId, id);
        groups.add(alert, id, atomId);
      }
      groups.write();
      moveTo.run(rows.length < batch ? 0 : (rows.at(-1)!.id as bigint));
      return rows.length;
    })
    .immediate();
}
