import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredAlert } from '../falco/alert';
import { DomainError } from '../errors';
import { makeAlert, storedAlert } from '../testing/alerts';
import { groupingCoded, type Grouping, type GroupingCode, type ParsedGroupKey } from '../triage/groupings';
import { openDatabase, type Db } from './connection';
import { writeAlerts } from './event-writer';
import { atomValues, groupKeys, keyColumn } from './group-atoms';
import { msToNs, NS_PER_HALF_DAY } from './periods';
import { pruneBatch } from './retention';
import { alertsAfterSql, groupHistory, groupStatuses, setGroupStatus, triageLog } from './triage';

const T0 = Date.UTC(2026, 4, 4, 0, 0, 0); // the start of a half day
const HOUR = 3_600_000;
const RULE = 'Read sensitive file untrusted';

function alertAt(ms: number, options: { rule?: string; user?: string; priority?: string } = {}): StoredAlert {
  return storedAlert(
    makeAlert({
      time: new Date(ms).toISOString(),
      rule: options.rule ?? RULE,
      priority: options.priority,
      fields: options.user ? { 'user.name': options.user } : {},
    }),
  );
}

const grouping = (code: GroupingCode): Grouping => groupingCoded(code)!;
const keyOf = (alert: StoredAlert, code: GroupingCode = 'ric'): ParsedGroupKey => ({
  grouping: grouping(code),
  hex: groupKeys(atomValues(alert))[code].toString('hex'),
});

const set = (
  keys: ParsedGroupKey[],
  status: 'open' | 'acknowledged' | 'resolved' | 'benign',
  atMs: number,
  extra = {},
) => setGroupStatus(db, { keys, status, note: null, by: 'analyst', atNs: msToNs(atMs), ...extra });

const statusOf = (key: ParsedGroupKey) => groupStatuses(db, key.grouping, [key.hex]).get(key.hex);

let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => db.close());

describe('setGroupStatus and groupHistory', () => {
  it('sets a status with who, when and a note, and keeps every change newest first', () => {
    const alert = alertAt(T0 + HOUR);
    writeAlerts(db, [alert]);
    const key = keyOf(alert);
    set([key], 'acknowledged', T0 + 2 * HOUR, { note: 'looking' });
    set([key], 'benign', T0 + 3 * HOUR, { note: 'backup job', by: 'sso-user', exception: '- rule: x\n' });

    expect(statusOf(key)).toEqual({
      status: 'benign',
      setNs: msToNs(T0 + 3 * HOUR),
      setBy: 'sso-user',
      note: 'backup job',
      newSince: 0,
      reopened: false,
    });
    const history = groupHistory(db, key);
    expect(history.fields).toEqual({
      rule: RULE,
      host: 'e2e-host',
      chain: ['tmux', 'bash', 'sudo', 'sudo', 'cat'],
    });
    expect(history.entries).toEqual([
      { status: 'benign', atNs: msToNs(T0 + 3 * HOUR), by: 'sso-user', note: 'backup job', exception: '- rule: x\n' },
      { status: 'acknowledged', atNs: msToNs(T0 + 2 * HOUR), by: 'analyst', note: 'looking', exception: null },
    ]);
  });

  it('a group with alerts and no change yet has its fields and an empty history; groupStatuses leaves it out', () => {
    const alert = alertAt(T0);
    writeAlerts(db, [alert]);
    const key = keyOf(alert, 'r');
    expect(groupHistory(db, key)).toEqual({ fields: { rule: RULE }, entries: [] });
    expect(groupStatuses(db, key.grouping, [key.hex]).size).toBe(0);
  });

  it('refuses a key of no group, naming its index, and writes nothing of the change', () => {
    const alert = alertAt(T0);
    writeAlerts(db, [alert]);
    const nothing = { grouping: grouping('ric'), hex: '0123456789abcdef' };
    let thrown: unknown;
    try {
      set([keyOf(alert), nothing], 'resolved', T0 + HOUR);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect((thrown as DomainError).code).toBe('unknown_group');
    expect((thrown as DomainError).issues).toEqual([
      expect.objectContaining({ index: 1, field: 'groups', code: 'unknown_group' }),
    ]);
    expect(db.prepare('SELECT count(*) FROM group_triage_log').pluck().get()).toBe(0);
    expect(statusOf(keyOf(alert))).toBeUndefined();
    expect(() => groupHistory(db, nothing)).toThrow(/No stored group has the key ric-0123456789abcdef/);
  });

  it('writes a key named twice once', () => {
    const alert = alertAt(T0);
    writeAlerts(db, [alert]);
    set([keyOf(alert), keyOf(alert)], 'acknowledged', T0 + HOUR);
    expect(groupHistory(db, keyOf(alert)).entries).toHaveLength(1);
  });

  it('keeps the fields and the history once retention has deleted every alert of the group', () => {
    const alert = alertAt(T0);
    writeAlerts(db, [alert]);
    const key = keyOf(alert);
    set([key], 'benign', T0 + HOUR, { note: 'expected' });
    expect(pruneBatch(db, { retentionMs: HOUR, maxEvents: null }, T0 + 3 * HOUR)).toBe(1);
    expect(db.prepare('SELECT count(*) FROM group_atoms').pluck().get()).toBe(0);

    const fields = { rule: RULE, host: 'e2e-host', chain: ['tmux', 'bash', 'sudo', 'sudo', 'cat'] };
    expect(groupHistory(db, key)).toMatchObject({ fields, entries: [{ status: 'benign', note: 'expected' }] });
    expect(statusOf(key)).toMatchObject({ status: 'benign', newSince: 0 });
    // A group with a history can still be changed: its fields come from its last status.
    set([key], 'open', T0 + 4 * HOUR);
    expect(groupHistory(db, key)).toMatchObject({ fields, entries: [{ status: 'open' }, { status: 'benign' }] });
  });
});

describe('groupStatuses', () => {
  it('a resolved group that fires again reads as reopened, with the count of new alerts', () => {
    const first = alertAt(T0 + HOUR);
    writeAlerts(db, [first]);
    const key = keyOf(first);
    set([key], 'resolved', T0 + 2 * HOUR);
    expect(statusOf(key)).toMatchObject({ status: 'resolved', newSince: 0, reopened: false });

    writeAlerts(db, [alertAt(T0 + 3 * HOUR), alertAt(T0 + 30 * HOUR)]);
    expect(statusOf(key)).toMatchObject({ status: 'open', setBy: 'analyst', newSince: 2, reopened: true });
    // The history keeps what was set; only the reading changes.
    expect(groupHistory(db, key).entries.map((e) => e.status)).toEqual(['resolved']);
  });

  it('an acknowledged or benign group stays so and counts what came since', () => {
    const a = alertAt(T0, { rule: 'acknowledged rule' });
    const b = alertAt(T0, { rule: 'benign rule' });
    writeAlerts(db, [a, b]);
    set([keyOf(a)], 'acknowledged', T0 + HOUR);
    set([keyOf(b)], 'benign', T0 + HOUR);
    writeAlerts(db, [
      alertAt(T0 + 2 * HOUR, { rule: 'acknowledged rule' }),
      alertAt(T0 + 2 * HOUR, { rule: 'benign rule' }),
      alertAt(T0 + 50 * HOUR, { rule: 'benign rule' }),
    ]);
    expect(statusOf(keyOf(a))).toMatchObject({ status: 'acknowledged', newSince: 1, reopened: false });
    expect(statusOf(keyOf(b))).toMatchObject({ status: 'benign', newSince: 2, reopened: false });
  });

  it('newSince counts every atom of the group after the change, in its own half day and the later ones', () => {
    // Each user is its own atom; grouped by rule they are one group.
    const times = [-30, -13, -1, 0.5, 1, 2, 3, 5, 11, 11.9, 12, 13, 25, 40, 100].map((h) => T0 + h * HOUR);
    const alerts = times.map((ms, i) =>
      alertAt(ms, { user: `user${i % 3}`, priority: i % 2 === 0 ? 'Warning' : 'Critical' }),
    );
    alerts.push(alertAt(T0 + 4 * HOUR, { rule: 'another rule' }));
    writeAlerts(db, alerts);
    const key = keyOf(alerts[0]!, 'r');
    const count = (setMs: number) =>
      db
        .prepare(
          `SELECT count(*) FROM events WHERE time_ns > ? AND group_id IN (SELECT id FROM group_atoms WHERE ${keyColumn(key.grouping)} = ?)`,
        )
        .pluck()
        .get(msToNs(setMs), Buffer.from(key.hex, 'hex'));
    for (const hours of [-40, -13, -12.5, 0, 1, 2.5, 11.95, 12, 12.5, 30, 200]) {
      set([key], 'acknowledged', T0 + hours * HOUR);
      expect(statusOf(key)?.newSince, `set at ${hours} h`).toBe(count(T0 + hours * HOUR));
    }
    expect(statusOf(key)?.newSince).toBe(0);
  });

  it('seeks the group’s counts from the half day after, and reads that half day’s alerts through the time index only', () => {
    writeAlerts(db, [alertAt(T0), alertAt(T0 + 2 * HOUR, { user: 'other' })]);
    const key = keyOf(alertAt(T0), 'r');
    const params = {
      key: Buffer.from(key.hex, 'hex'),
      setNs: msToNs(T0 + HOUR),
      day: msToNs(T0) / NS_PER_HALF_DAY,
      halfDay: NS_PER_HALF_DAY,
    };
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((row) => row.detail).join('\n');
    const { laterDays, sameDay } = alertsAfterSql(key.grouping);
    expect(plan(laterDays)).toMatch(/SEARCH c USING PRIMARY KEY \(grouping=\? AND key=\? AND half_day>\?\)/);
    expect(plan(sameDay)).toMatch(/SEARCH group_atoms USING COVERING INDEX group_atoms_r \(k_r=\?\)/);
    expect(plan(sameDay)).toMatch(/SEARCH events USING INDEX events_time \(time_ns>\? AND time_ns<\?\)/);
    expect(plan(sameDay)).not.toMatch(/SCAN (events|group_atoms|group_counts_12h)\b/);
  });
});

describe('triageLog', () => {
  it('gives every change oldest first, page after page, with its key, grouping and fields', () => {
    const a = alertAt(T0, { rule: 'rule a' });
    const b = alertAt(T0, { rule: 'rule b' });
    writeAlerts(db, [a, b]);
    set([keyOf(a, 'r'), keyOf(b)], 'acknowledged', T0 + HOUR, { note: '=cmd' });
    set([keyOf(a, 'r')], 'resolved', T0 + 2 * HOUR);
    const log = [...triageLog(db, 2)];
    expect(
      log.map(({ id, key, grouping, status, note, fields }) => ({
        id,
        key,
        grouping,
        status,
        note,
        rule: fields.rule,
      })),
    ).toEqual([
      { id: 1, key: `r-${keyOf(a, 'r').hex}`, grouping: 'rule', status: 'acknowledged', note: '=cmd', rule: 'rule a' },
      {
        id: 2,
        key: `ric-${keyOf(b).hex}`,
        grouping: 'rule,image,chain',
        status: 'acknowledged',
        note: '=cmd',
        rule: 'rule b',
      },
      { id: 3, key: `r-${keyOf(a, 'r').hex}`, grouping: 'rule', status: 'resolved', note: null, rule: 'rule a' },
    ]);
    expect(log[2]!.atNs).toBe(msToNs(T0 + 2 * HOUR));
  });
});
