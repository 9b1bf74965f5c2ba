import 'server-only';
// Triage status of groups and its history (migration 0017): group_triage holds each group's last
// status, group_triage_log every change. Rows name a grouping by its code, the prefix of its keys.
import { DomainError } from '../errors';
import {
  formatGroupKey,
  groupingCoded,
  type Grouping,
  type GroupKeyFields,
  type ParsedGroupKey,
  type TriageStatus,
} from '../triage/groupings';
import type { Db } from './connection';
import { keyColumn } from './group-atoms';
import { groupKeyFields } from './group-fields';
import { NS_PER_HALF_DAY } from './periods';
import { prepared } from './statements';

export interface StatusChange {
  keys: readonly ParsedGroupKey[];
  status: TriageStatus;
  note: string | null;
  by: string;
  atNs: bigint;
  /** The Falco exception (rules-file YAML) the group was silenced with. */
  exception?: string | null;
}

/** A group's status as it reads now. */
export interface GroupStatus {
  /** A resolved group with alerts after it was resolved reads as open, and `reopened`. */
  status: TriageStatus;
  setNs: bigint;
  setBy: string;
  note: string | null;
  /** The group's stored alerts timed after `setNs`. */
  newSince: number;
  reopened: boolean;
}

export interface HistoryEntry {
  status: TriageStatus;
  atNs: bigint;
  by: string;
  note: string | null;
  exception: string | null;
}

export interface GroupHistory {
  fields: GroupKeyFields;
  /** Newest first. */
  entries: HistoryEntry[];
}

export interface TriageLogEntry extends HistoryEntry {
  id: number;
  /** In the API's spelling (`ric-0a1b…`). */
  key: string;
  grouping: Grouping['name'];
  fields: GroupKeyFields;
}

/** Keys that name no stored group and no group with a triage history; a batch's issues give each key's index. */
class UnknownGroup extends DomainError {
  constructor(keys: { index?: number; key: string }[]) {
    const named = keys.map(({ key }) => key);
    const more = named.length > 3 ? ` (and ${named.length - 3} more)` : '';
    super(
      'unknown_group',
      `No stored group has the key ${named.slice(0, 3).join(', ')}${more}, and none had a triage status.`,
      keys.flatMap(({ index, key }) =>
        index === undefined
          ? []
          : [{ index, field: 'groups', code: 'unknown_group', message: `${key} names no group.` }],
      ),
    );
  }
}

const keyBlob = (hex: string) => Buffer.from(hex, 'hex');

const parseFields = (text: string) => JSON.parse(text) as GroupKeyFields;

/** Sets the status of every key in one transaction, each change kept in the log; UnknownGroup when a key names nothing. */
export function setGroupStatus(db: Db, change: StatusChange): void {
  const previousFields = prepared<string>(db, 'SELECT fields FROM group_triage WHERE grouping = ? AND key = ?').pluck();
  const upsert = prepared(
    db,
    `INSERT INTO group_triage (grouping, key, status, set_ns, set_by, note, fields)
     VALUES (@grouping, @key, @status, @atNs, @by, @note, @fields)
     ON CONFLICT (grouping, key) DO UPDATE SET status = excluded.status, set_ns = excluded.set_ns,
       set_by = excluded.set_by, note = excluded.note, fields = excluded.fields`,
  );
  const log = prepared(
    db,
    `INSERT INTO group_triage_log (grouping, key, status, at_ns, by, note, exception, fields)
     VALUES (@grouping, @key, @status, @atNs, @by, @note, @exception, @fields)`,
  );
  db.transaction(() => {
    const seen = new Set<string>();
    const rows: { grouping: string; key: Buffer; fields: string }[] = [];
    const unknown: { index: number; key: string }[] = [];
    const stored = new Map<Grouping, Map<string, GroupKeyFields>>();
    for (const { grouping } of change.keys)
      if (!stored.has(grouping)) {
        const hexes = change.keys.filter((k) => k.grouping === grouping).map((k) => k.hex);
        stored.set(grouping, groupKeyFields(db, grouping, hexes));
      }
    change.keys.forEach(({ grouping, hex }, index) => {
      const key = formatGroupKey(grouping.code, hex);
      if (seen.has(key)) return;
      seen.add(key);
      const fresh = stored.get(grouping)!.get(hex);
      const fields = fresh ? JSON.stringify(fresh) : previousFields.get(grouping.code, keyBlob(hex));
      if (fields === undefined) unknown.push({ index, key });
      else rows.push({ grouping: grouping.code, key: keyBlob(hex), fields });
    });
    if (unknown.length > 0) throw new UnknownGroup(unknown);
    const { status, atNs, by, note } = change;
    for (const row of rows) {
      upsert.run({ ...row, status, atNs, by, note });
      log.run({ ...row, status, atNs, by, note, exception: change.exception ?? null });
    }
  }).immediate();
}

interface TriageRow {
  key: string;
  status: TriageStatus;
  setNs: bigint;
  setBy: string;
  note: string | null;
}

/**
 * Alerts of a group after `setNs`: whole half days after its own from the half-day counts, and
 * in its own half day those of the counts that straddle `setNs` from the alerts themselves
 * (`events` has no index on group_id: the time index bounds the scan).
 */
function alertsAfter(db: Db, grouping: Grouping, hex: string, setNs: bigint): number {
  const day = setNs / NS_PER_HALF_DAY;
  const params = { key: keyBlob(hex), setNs, day };
  const { laterDays, sameDay } = alertsAfterSql(grouping);
  const count = (sql: string) => Number(prepared<bigint>(db, sql).pluck().safeIntegers(true).get(params)!);
  return count(laterDays) + count(sameDay);
}

/** The statements of alertsAfter, bound to @key, @setNs and @day (its half day). */
export function alertsAfterSql(grouping: Grouping): { laterDays: string; sameDay: string } {
  const column = keyColumn(grouping);
  return {
    laterDays: `SELECT coalesce(sum(c.alerts), 0) FROM group_counts_12h c
     WHERE c.grouping = '${grouping.code}' AND c.key = @key AND c.half_day > @day`,
    // A count's alerts share its health flag and rank: only theirs are read from `events`.
    sameDay: `WITH counts AS (SELECT internal, priority_rank, alerts, first_ns, last_ns FROM group_counts_12h
         WHERE grouping = '${grouping.code}' AND key = @key AND half_day = @day),
       straddling AS (SELECT internal, priority_rank, last_ns FROM counts WHERE first_ns <= @setNs AND last_ns > @setNs)
     SELECT (SELECT coalesce(sum(alerts), 0) FROM counts WHERE first_ns > @setNs)
       + (SELECT count(*) FROM events
          WHERE time_ns > @setNs AND time_ns <= (SELECT max(last_ns) FROM straddling)
            AND (+internal, +priority_rank) IN (SELECT internal, priority_rank FROM straddling)
            AND group_id IN (SELECT id FROM group_atoms WHERE ${column} = @key))`,
  };
}

/** The status of each key that has one, by hex key; a key missing from the map is open and was never set. */
export function groupStatuses(db: Db, grouping: Grouping, hexKeys: readonly string[]): Map<string, GroupStatus> {
  if (hexKeys.length === 0) return new Map();
  const rows = prepared<TriageRow>(
    db,
    `SELECT lower(hex(t.key)) AS key, t.status, t.set_ns AS setNs, t.set_by AS setBy, t.note
     FROM json_each(@keys) k JOIN group_triage t ON t.grouping = @grouping AND t.key = unhex(k.value)`,
  )
    .safeIntegers(true)
    .all({ keys: JSON.stringify([...new Set(hexKeys)]), grouping: grouping.code });
  return new Map(
    rows.map(({ key, status, setNs, setBy, note }) => {
      const newSince = alertsAfter(db, grouping, key, setNs);
      const reopened = status === 'resolved' && newSince > 0;
      return [key, { status: reopened ? 'open' : status, setNs, setBy, note, newSince, reopened }];
    }),
  );
}

interface LogRow {
  id: bigint;
  grouping: string;
  key: string;
  status: TriageStatus;
  atNs: bigint;
  by: string;
  note: string | null;
  exception: string | null;
  fields: string;
}

const LOG_COLUMNS =
  'id, grouping, lower(hex(key)) AS key, status, at_ns AS atNs, by, note, exception, fields FROM group_triage_log';

const entryOf = (row: LogRow): HistoryEntry => ({
  status: row.status,
  atNs: row.atNs,
  by: row.by,
  note: row.note,
  exception: row.exception,
});

/** A group's changes of status, newest first, and its key fields; UnknownGroup when it has neither alerts nor history. */
export function groupHistory(db: Db, { grouping, hex }: ParsedGroupKey): GroupHistory {
  const rows = prepared<LogRow>(db, `SELECT ${LOG_COLUMNS} WHERE grouping = ? AND key = ? ORDER BY id DESC`)
    .safeIntegers(true)
    .all(grouping.code, keyBlob(hex));
  const stored = groupKeyFields(db, grouping, [hex]).get(hex);
  const newest = rows[0];
  if (!stored && !newest) throw new UnknownGroup([{ key: formatGroupKey(grouping.code, hex) }]);
  return { fields: stored ?? parseFields(newest!.fields), entries: rows.map(entryOf) };
}

const LOG_PAGE = 1_000;

/**
 * Every change of status, oldest first, read a page at a time so the connection is free between
 * pages (an open better-sqlite3 iterator would keep ingest from writing).
 */
export function* triageLog(db: Db, pageSize = LOG_PAGE): Generator<TriageLogEntry> {
  const page = prepared<LogRow>(db, `SELECT ${LOG_COLUMNS} WHERE id > ? ORDER BY id LIMIT ?`).safeIntegers(true);
  let after = 0n;
  for (;;) {
    const rows = page.all(after, pageSize);
    for (const row of rows) {
      const grouping = groupingCoded(row.grouping);
      // Codes come from GROUPINGS; a row of a grouping this version no longer has is left out.
      if (grouping)
        yield {
          ...entryOf(row),
          id: Number(row.id),
          key: formatGroupKey(grouping.code, row.key),
          grouping: grouping.name,
          fields: parseFields(row.fields),
        };
    }
    if (rows.length < pageSize) return;
    after = rows.at(-1)!.id;
  }
}
