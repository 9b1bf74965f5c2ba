import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../lib/db/connection';
import { ImportRun } from '../../lib/ingest/import-stream';
import { prepareEntries } from '../../lib/ingest/prepare';
import { splitBody } from '../../lib/ingest/split-body';
import { demoAlerts, type DemoAlert, type DemoOptions } from './generate';

// A fixed "now" (a Wednesday morning, UTC) so the expectations do not depend on when tests run.
const NOW = Date.UTC(2025, 4, 14, 10, 17, 33);
const HOUR = 3_600_000;
const WEEK: DemoOptions = { seed: 1, alerts: 5_000, days: 7, nowMs: NOW };
const DAY: DemoOptions = { seed: 1, alerts: 1_000, days: 1, nowMs: NOW };
// Generating and storing a week of alerts takes seconds on a busy machine.
const SLOW = 60_000;

const STABLE_RULES = readFileSync(
  fileURLToPath(new URL('../../e2e/fixtures/falco/default-rules.tsv', import.meta.url)),
  'utf8',
)
  .split('\n')
  .slice(1)
  .filter((line) => line.trim() !== '')
  .map((line) => line.split('\t')[0] ?? '');

interface Parsed {
  time: string;
  rule: string;
  priority: string;
  source: string;
  hostname: string;
  output: string;
  tags?: string[];
  output_fields: Record<string, unknown>;
}

const parse = (alert: DemoAlert) => JSON.parse(alert.line) as Parsed;

function importAll(lines: readonly DemoAlert[], db = openDatabase(':memory:')) {
  const run = new ImportRun(db);
  for (const alert of lines) {
    const [entry] = splitBody(alert.line).entries;
    if (entry) run.add(entry);
  }
  run.flush();
  return { db, summary: run.summary };
}

describe('demo alerts', () => {
  let week: DemoAlert[];
  let parsed: Parsed[];
  beforeAll(() => {
    week = [...demoAlerts(WEEK)];
    parsed = week.map(parse);
  }, SLOW);

  it('gives about the requested number of alerts over the window, oldest first, newest within minutes', () => {
    expect(week.length).toBeGreaterThan(4_000);
    expect(week.length).toBeLessThan(6_000);
    for (let i = 1; i < week.length; i++) expect(week[i]!.timeNs >= week[i - 1]!.timeNs).toBe(true);
    const first = Number(week[0]!.timeNs / 1_000_000n);
    const last = Number(week[week.length - 1]!.timeNs / 1_000_000n);
    expect(first).toBeGreaterThan(NOW - 7 * 24 * HOUR);
    expect(first).toBeLessThan(NOW - 7 * 24 * HOUR + HOUR);
    expect(last).toBeLessThanOrEqual(NOW);
    expect(last).toBeGreaterThan(NOW - 5 * 60_000);
  });

  it('is deterministic for a seed, and another seed tells another story', () => {
    const day = [...demoAlerts(DAY)].map((a) => a.line);
    expect([...demoAlerts(DAY)].map((a) => a.line)).toEqual(day);
    const other = new Set([...demoAlerts({ ...DAY, seed: 2 })].map((a) => a.line));
    expect(day.filter((line) => other.has(line))).toEqual([]);
  });

  it('repeats the alerts of the minutes two windows share', () => {
    const day = [...demoAlerts(DAY)];
    const later = [...demoAlerts({ ...DAY, nowMs: NOW + 3 * HOUR })];
    const laterStart = later[0]!.timeNs;
    const nowNs = BigInt(NOW) * 1_000_000n;
    // The earlier run's last ten minutes are busier on purpose; before them both runs agree exactly.
    const settledNs = nowNs - 10n * 60_000_000_000n;
    const shared = (alerts: DemoAlert[]) =>
      alerts.filter((a) => a.timeNs >= laterStart && a.timeNs <= settledNs).map((a) => a.line);
    expect(shared(later)).toEqual(shared(day));
    const earlier = new Set(day.map((a) => a.line));
    expect(later.filter((a) => a.timeNs <= nowNs && !earlier.has(a.line))).toEqual([]);
    expect(later.some((a) => a.timeNs > nowNs)).toBe(true);
  });

  it(
    'writes alerts the ingest pipeline accepts, with exact nanosecond evt.time',
    () => {
      const { valid, issues } = prepareEntries(week.map((a) => splitBody(a.line).entries[0]!));
      expect(issues).toEqual([]);
      expect(valid).toHaveLength(week.length);
      valid.forEach(({ alert }, i) => {
        expect(alert.timeNs).toBe(week[i]!.timeNs);
      });
      const evtTime = /"evt\.time":(\d+)/;
      for (const alert of week) {
        const digits = evtTime.exec(alert.line)?.[1];
        if (digits !== undefined) expect(BigInt(digits)).toBe(alert.timeNs);
      }
    },
    SLOW,
  );

  it('renders outputs like Falco: time and priority first, every %field filled, tags sorted', () => {
    for (const alert of parsed) {
      if (alert.source === 'internal')
        expect(alert.output).toMatch(/^Falco internal: syscall event drop\. \d+ system calls/);
      else expect(alert.output.startsWith(`${alert.time.slice(11, 29)}: ${alert.priority} `)).toBe(true);
      expect(alert.output).not.toMatch(/%[a-z]/);
      expect(alert.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
      expect(alert.tags ?? []).toEqual([...(alert.tags ?? [])].sort());
    }
    const shadow = parsed.find(
      (a) =>
        a.rule === 'Read sensitive file untrusted' &&
        a.output_fields['proc.aname[4]'] === 'tmux' &&
        a.output_fields['fd.name'] === '/etc/shadow',
    );
    expect(shadow?.output).toContain('gparent=sudo ggparent=bash gggparent=tmux');
    expect(shadow?.output_fields).toMatchObject({
      'proc.name': 'cat',
      'proc.pname': 'sudo',
      'fd.name': '/etc/shadow',
      'container.id': 'host',
    });
  });

  it('covers the stable rules, several sources and a realistic priority mix', () => {
    const rules = new Set(parsed.map((a) => a.rule));
    expect(STABLE_RULES).toHaveLength(25);
    expect(STABLE_RULES.filter((rule) => !rules.has(rule))).toEqual([]);
    for (const rule of [
      'Disallowed K8s User',
      'Attach/Exec Pod',
      'Create Privileged Pod',
      'Falco internal: syscall event drop',
    ])
      expect(rules).toContain(rule);
    expect(new Set(parsed.map((a) => a.source))).toEqual(
      new Set(['syscall', 'k8s_audit', 'aws_cloudtrail', 'gcp_auditlog', 'internal']),
    );
    const share = (priority: string) => parsed.filter((a) => a.priority === priority).length / parsed.length;
    expect(share('Notice') + share('Warning')).toBeGreaterThan(0.75);
    expect(share('Critical')).toBeGreaterThan(0.02);
    expect(share('Informational')).toBeGreaterThan(0.01);
    expect(share('Error')).toBeGreaterThan(0);
    expect(share('Error')).toBeLessThan(0.01);
  });

  it(
    'stores a varied cluster with ancestry, pids and tags',
    () => {
      const { db, summary } = importAll(week);
      expect(summary).toMatchObject({ imported: week.length, duplicates: 0, invalid: [] });
      const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
      expect(
        count("SELECT count(DISTINCT container_id) n FROM events WHERE container_id <> 'host'"),
      ).toBeGreaterThanOrEqual(35);
      expect(
        count("SELECT count(*) n FROM events WHERE container_id = 'host' AND container_name = 'host'"),
      ).toBeGreaterThan(100);
      expect(count('SELECT count(DISTINCT k8s_ns) n FROM events')).toBe(8);
      expect(count('SELECT count(DISTINCT hostname) n FROM events')).toBe(6);
      expect(count('SELECT count(DISTINCT tag) n FROM event_tags')).toBeGreaterThan(40);
      expect(count('SELECT count(*) n FROM event_processes WHERE level >= 4 AND name IS NOT NULL')).toBeGreaterThan(
        500,
      );
      expect(count('SELECT count(DISTINCT event_id) n FROM event_processes WHERE pid IS NOT NULL')).toBeGreaterThan(
        500,
      );
      // An admin's sudo on a node, level 0 first: tmux → bash → sudo → sudo → cat.
      const levels = db
        .prepare(
          "SELECT p.name FROM event_processes p WHERE p.event_id = (SELECT e.id FROM events e JOIN event_processes t ON t.event_id = e.id AND t.level = 4 AND t.name = 'tmux' WHERE e.rule = 'Read sensitive file untrusted' AND e.fd_name = '/etc/shadow' LIMIT 1) ORDER BY p.level",
        )
        .all() as { name: string }[];
      expect(levels.map((p) => p.name)).toEqual(['cat', 'sudo', 'sudo', 'bash', 'tmux']);
      // Where pids are reported, every parent started before its child.
      const inverted = db
        .prepare(
          'SELECT a.event_id, a.pid AS child, b.pid AS parent FROM event_processes a JOIN event_processes b ON b.event_id = a.event_id AND b.level = a.level + 1 WHERE a.pid <= b.pid',
        )
        .all();
      expect(inverted).toEqual([]);
      db.close();
    },
    SLOW,
  );

  it(
    'stores nothing twice: a second run reports duplicates, a later run adds only the new minutes',
    () => {
      const day = [...demoAlerts(DAY)];
      const { db, summary } = importAll(day);
      expect(summary).toMatchObject({ imported: day.length, duplicates: 0 });
      expect(importAll(day, db).summary).toMatchObject({ imported: 0, duplicates: day.length });
      const later = [...demoAlerts({ ...DAY, nowMs: NOW + HOUR })];
      const fresh = later.filter((a) => a.timeNs > BigInt(NOW) * 1_000_000n).length;
      expect(fresh).toBeGreaterThan(0);
      expect(importAll(later, db).summary).toMatchObject({ imported: fresh, duplicates: later.length - fresh });
      db.close();
    },
    SLOW,
  );

  it(
    'gives a part of the window exactly the alerts the whole window has there',
    () => {
      const whole = [...demoAlerts(DAY)].map((a) => a.line);
      const start = NOW - 24 * HOUR;
      // Cuts mid-minute and mid-incident as well as on the hour.
      const cuts = [start, start + 1_234_567, start + 7 * HOUR, start + 19.5 * HOUR + 17, NOW];
      const parts = cuts
        .slice(1)
        .flatMap((toMs, i) => [...demoAlerts({ ...DAY, part: { fromMs: cuts[i]!, toMs } })].map((a) => a.line));
      expect(whole.length).toBeGreaterThan(500);
      expect(parts).toEqual(whole);
    },
    SLOW,
  );
});
