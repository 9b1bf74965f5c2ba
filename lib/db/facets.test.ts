import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FalcoAlert, toStoredAlert, type StoredAlert } from '../falco/alert';
import { EventFilter } from '../filters/event-filter';
import { storedSearchText } from '../ingest/facet-backfill';
import { openDatabase, type Db } from './connection';
import { listEvents } from './event-queries';
import { writeAlerts } from './event-writer';
import { addMissingFacets, alertsWithoutFacets, facetQuery, facetsReady, mergeWordIndex } from './facets';
import { migrate, readMigrations } from './migrate';
import { rangeSummary } from './range-summary';
import { timeline } from './timeline';
import { topValues } from './top-values';

// Free text with other filters, answered by the facet tokens of migration 0015, must select what
// the same filters select on each alert's row: compared with the store told that old alerts lack them.

const NOW = Date.parse('2026-03-01T12:00:00Z');
const LONG_USER = 'u'.repeat(600);
const RULES = ['Terminal shell in container', 'Read sensitive file untrusted', 'Contact K8S API Server From Container'];

let n = 0;
/** Alert number `i`: values cycle at different lengths, so filters combine in many ways; most say "common". */
function alert(i: number): StoredAlert {
  n++;
  const host = i % 5 === 0;
  // Kubernetes audit-like alerts: no container at all.
  const none = i % 10 === 3;
  const fields: Record<string, unknown> = {
    'proc.name': ['bash', 'cat', 'curl', 'sh'][i % 4],
    'proc.pname': i % 3 === 0 ? 'runc' : 'sudo',
    'proc.aname[2]': i % 7 === 0 ? 'containerd-shim' : null,
    'user.name': i === 17 ? LONG_USER : i % 6 === 0 ? null : ['root', 'www-data', 'postgres'][i % 3],
    'fd.name': `/etc/file-${i % 13}`,
    'container.id': none ? null : host ? 'host' : `c0ffee${(i % 9).toString().padStart(6, '0')}`,
    'container.name': none ? null : host ? 'host' : `app-${i % 9}`,
    'container.image.repository': host || none ? null : ['docker.io/library/nginx', 'ghcr.io/acme/api'][i % 2],
    'container.image.tag': host ? null : ['1.25', 'latest'][i % 2],
    'k8s.ns.name': host ? null : ['default', 'payments', 'kube-system'][i % 3],
    'k8s.pod.name': host ? null : `pod-${i % 11}`,
  };
  const raw = {
    time: new Date(NOW - (i % 2_000) * 60_000 - (n % 50) * 1_000).toISOString(),
    rule: RULES[i % 3],
    priority: ['Warning', 'Error', 'Notice', 'Critical'][i % 4],
    source: 'syscall',
    hostname: `node-${i % 4}`,
    tags: i % 2 === 0 ? ['container', 'mitre_execution'] : ['filesystem', 'T1059'],
    output: `${i % 10 === 9 ? 'other' : 'common'} event ${i} by ${fields['proc.name']}`,
    output_fields: fields,
  };
  return toStoredAlert(FalcoAlert.parse(raw), fields, JSON.stringify(raw));
}

const f = (input: Record<string, unknown>) => EventFilter.parse({ from: '3d', ...input });

const COMBINATIONS: Record<string, unknown>[] = [
  { q: 'common', rule: [RULES[0]] },
  { q: 'common', rule: [RULES[1], RULES[2]] },
  { q: 'common', rule: ['No such rule'] },
  { q: 'common', hostname: ['node-2'] },
  { q: 'common', container: ['app-3'] },
  { q: 'common', container: ['c0ffee000004'] },
  { q: 'common', container: ['(none)'] },
  { q: 'common', image: ['ghcr.io/acme/api'] },
  { q: 'common', image: ['docker.io/library/nginx:1.25'] },
  { q: 'common', image: ['(none)'] },
  { q: 'common', namespace: ['payments'], user: ['root'] },
  { q: 'common', pod: ['pod-7'] },
  { q: 'common', user: ['(none)'] },
  { q: 'common', user: [LONG_USER] },
  { q: 'common', source: ['syscall'] },
  { q: 'common', tag: ['T1059'] },
  { q: 'common', proc: ['containerd-shim'] },
  { q: 'common', proc: ['runc'], tag: ['container'], minPriority: 'Error' },
  { q: 'common event', rule: [RULES[2]], hostname: ['node-1', 'node-3'] },
  { q: 'comm*', rule: [RULES[0]] },
  { q: 'common', rule: [RULES[0]], chain: ['runc'] },
  { q: 'common', chain: ['containerd-shim\u001frunc'] },
  { q: 'common', chain: ['sudo\u001fcat', 'runc\u001fbash'] },
  { q: 'common', chain: ['no-such-root'] },
  { q: 'other', namespace: ['kube-system'], internal: 'include' },
];

/** What a page, a timeline, a summary and a top list show for a filter. */
function reads(db: Db, input: Record<string, unknown>) {
  const filter = f(input);
  return {
    page: listEvents(db, filter, { limit: 25 }, NOW).events.map((e) => e.id),
    timeline: timeline(db, filter, 'priority', 8, NOW),
    summary: rangeSummary(db, filter, NOW),
    top: topValues(db, filter, 'container', 5, NOW),
  };
}

/** The same reads with the store taken for one whose old alerts lack their tokens. */
function readsOnRows(db: Db, input: Record<string, unknown>) {
  db.prepare('UPDATE event_facets SET ready = 0').run();
  try {
    expect(facetsReady(db)).toBe(false);
    return reads(db, input);
  } finally {
    db.prepare('UPDATE event_facets SET ready = 1').run();
  }
}

let db: Db;
beforeAll(() => {
  db = openDatabase(':memory:');
  for (let batch = 0; batch < 6; batch++)
    writeAlerts(
      db,
      Array.from({ length: 1_000 }, (_, i) => alert(batch * 1_000 + i)),
    );
}, 60_000);
afterAll(() => db.close());

describe('facet tokens', () => {
  it('cover a new store from its first alert', () => {
    expect(facetsReady(db)).toBe(true);
    expect(alertsWithoutFacets(db)).toBe(0);
  });

  it.each(COMBINATIONS)("select what the filters select on each alert's row: %j", (input) => {
    const got = reads(db, input);
    expect(got).toEqual(readsOnRows(db, input));
    if (input.rule?.toString() === 'No such rule') expect(got.summary.total).toBe(0);
  });

  it('select alerts, and not nothing, for the common combinations', () => {
    expect(reads(db, { q: 'common', rule: [RULES[0]] }).summary.total).toBeGreaterThan(1_000);
    expect(reads(db, { q: 'common', container: ['(none)'] }).summary.total).toBeGreaterThan(500);
    expect(reads(db, { q: 'common', user: [LONG_USER] }).summary.total).toBe(1);
    expect(reads(db, { q: 'common', chain: ['containerd-shim\u001frunc'] }).summary.total).toBeGreaterThan(100);
  });

  it("have no token for a value too long, and leave its filter to the alert's row", () => {
    expect(facetQuery(f({ user: [LONG_USER] }))).toBeNull();
    expect(facetQuery(f({ user: ['root'] }))).toMatch(/^"\u{E000}uv726f6f74"$/u);
  });

  it("cannot be forged by an alert's own text", () => {
    const token = facetQuery(f({ rule: [RULES[0]] }))!.replaceAll('"', '');
    const original = JSON.parse(alert(6_001).raw) as Record<string, unknown>;
    const raw = { ...original, rule: 'Forged rule', output: `common ${token} forged` };
    const { id } = writeAlerts(db, [
      toStoredAlert(FalcoAlert.parse(raw), original.output_fields as Record<string, unknown>, JSON.stringify(raw)),
    ])[0]!;
    expect(rangeSummary(db, f({ q: 'forged' }), NOW).total).toBe(1);
    expect(rangeSummary(db, f({ q: 'forged', rule: [RULES[0]] }), NOW).total).toBe(0);
    expect(listEvents(db, f({ q: 'forged', rule: [RULES[0]] }), { limit: 10 }, NOW).events).toEqual([]);
    // Typed into the search, the token is a plain word of that one alert's text.
    expect(listEvents(db, f({ q: token }), { limit: 10 }, NOW).events.map((e) => e.id)).toEqual([id]);
  });
});

describe('a store from before facet tokens', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'perch-facets-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("is read on each alert's row until every old alert has its tokens, then from the tokens, the same", () => {
    const file = path.join(dir, 'perch.db');
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    migrate(
      old,
      readMigrations().filter((m) => m.version <= 14),
    );
    const alerts = Array.from({ length: 1_500 }, (_, i) => alert(i));
    // Today's writer keeps the quarter counts' horizon (migration 0016): a stand-in for this write only.
    old.exec('CREATE TABLE event_counts_15m_horizon (one INTEGER PRIMARY KEY, quarter INTEGER NOT NULL)');
    old.exec('INSERT INTO event_counts_15m_horizon VALUES (1, 0)');
    // And its groups (migration 0017), taken away again after.
    const groups = readMigrations().find((m) => m.version === 17)!;
    old.exec(groups.sql);
    writeAlerts(old, alerts);
    old.exec('DROP TABLE event_counts_15m_horizon');
    old.exec('DROP TRIGGER events_group_uncounted');
    old.exec('ALTER TABLE events DROP COLUMN group_id');
    for (const table of [
      'group_atoms',
      'group_counts_12h',
      'group_places_12h',
      'group_backfill',
      'group_triage',
      'group_triage_log',
    ])
      old.exec(`DROP TABLE ${table}`);
    // As the writer of migration 0014 indexed them: the alert's words alone.
    const ids = old.prepare('SELECT id FROM events ORDER BY id').pluck().all() as number[];
    ids.forEach((id, i) => {
      old.prepare('DELETE FROM event_search WHERE rowid = ?').run(id);
      old.prepare('INSERT INTO event_search (rowid, text) VALUES (?, ?)').run(id, alerts[i]!.searchText);
    });
    old.close();

    const db = openDatabase(file);
    try {
      expect(alertsWithoutFacets(db)).toBe(1_500);
      expect(facetsReady(db)).toBe(false);
      const before = COMBINATIONS.map((input) => reads(db, input));
      writeAlerts(db, [alert(1_500)]);
      expect(alertsWithoutFacets(db)).toBe(1_500);

      expect(addMissingFacets(db, storedSearchText, 1_000)).toBe(1_000);
      expect(facetsReady(db)).toBe(false);
      expect(addMissingFacets(db, storedSearchText, 1_000)).toBe(500);
      expect(addMissingFacets(db, storedSearchText, 1_000)).toBe(0);
      expect(alertsWithoutFacets(db)).toBe(0);
      // Ready once the word index has been merged, which drops the entries deleted.
      expect(facetsReady(db)).toBe(false);
      let steps = 1;
      while (mergeWordIndex(db)) steps++;
      expect(steps).toBeGreaterThan(1);
      expect(facetsReady(db)).toBe(true);
      expect(db.prepare('SELECT count(DISTINCT segid) FROM event_search_idx').pluck().get()).toBe(1);

      db.prepare('DELETE FROM events WHERE id = (SELECT max(id) FROM events)').run();
      expect(COMBINATIONS.map((input) => reads(db, input))).toEqual(before);
      // The words too were indexed again, as the writer indexes them.
      expect(reads(db, { q: 'event 42 by' }).page).toHaveLength(1);
    } finally {
      db.close();
    }
  });
});
