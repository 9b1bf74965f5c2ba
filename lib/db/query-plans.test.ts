import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventFilter } from '../filters/event-filter';
import { openDatabase, type Db } from './connection';
import { containerRows } from './containers';
import { listEvents } from './event-queries';
import { writeAlerts } from './event-writer';
import { STATS_CHECK_EVERY } from './planner-stats';
import { rangeSummary } from './range-summary';
import { timeline } from './timeline';
import { storedAlert } from '../testing/alerts';

// The plans SQLite picks for the dashboard's reads, where a plan that works on a small store
// would be slow on a large one. The planner's choice depends on its statistics, so some of these
// load the statistics of a real ten-million-alert store (npm run bench -- --alerts 10000000).

const T0 = Date.UTC(2026, 10, 1);
const NOW = T0 + 3_600_000;

function alertNumber(i: number, extra: Record<string, unknown> = {}) {
  const { hostname, ...more } = extra;
  const value = {
    time: new Date(T0 + i * 1000).toISOString(),
    ...(hostname === undefined ? {} : { hostname }),
    rule: 'Read sensitive file untrusted',
    priority: 'Warning',
    source: 'syscall',
    output: `Sensitive file opened for reading (file=/etc/shadow process=cat parent=bash container_id=c${i % 5})`,
    output_fields: {
      'proc.name': 'cat',
      'proc.pname': 'bash',
      'container.id': `c${i % 5}`,
      'container.name': `web-${i % 5}`,
      'fd.name': '/etc/shadow',
      'user.name': 'root',
      'container.image.repository': 'nginx',
      'container.image.tag': '1.27',
      'k8s.pod.name': `web-${i % 5}-pod`,
      ...more,
    },
    tags: ['filesystem', 'mitre_credential_access'],
  };
  return storedAlert(value);
}

let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:');
  writeAlerts(
    db,
    Array.from({ length: 20 }, (_, i) => alertNumber(i)),
  );
});
afterEach(() => db.close());

/** Every statement `read` prepares that matches `which` (prepared() caches statements per connection: a new one sees them all). */
function statementsOf(read: () => unknown, which: RegExp): string[] {
  const sqls: string[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    sqls.push(sql);
    return prepare(sql);
  }) as typeof db.prepare;
  try {
    read();
  } finally {
    db.prepare = prepare;
  }
  return sqls.filter((sql) => which.test(sql));
}

/** SQLite's plan for `sql`, with every parameter bound to 0 (and `q` to a word). */
function planOf(sql: string): string {
  const names = [...new Set(sql.match(/@\w+/g) ?? [])].map((name) => name.slice(1));
  const params = Object.fromEntries(names.map((name) => [name, name === 'q' ? '"word"' : 0]));
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[])
    .map((row) => row.detail)
    .join('; ');
}

/** The plan of every statement `read` prepares that matches `which`. */
function plansOf(read: () => unknown, which: RegExp): string[] {
  return statementsOf(read, which).map(planOf);
}

type Statistics = readonly (readonly [table: string, index: string | null, stat: string])[];

/** What ANALYZE wrote for the ten-million-alert store. */
const TEN_MILLION: Statistics = [
  ['events', 'events_time', '9999992 1 1 1'],
  ['event_times', null, '9999992'],
  ['events', 'events_dedup', '9999992 1'],
  ['events', 'events_rule_time', '9999992 222223 1'],
  ['events', 'events_priority_time', '9999992 1666666 1'],
  ['events', 'events_host_time', '9999992 1666666 1'],
  ['events', 'events_container_time', '9999992 238096 1'],
  ['events', 'events_container_name_time', '5569959 253180 1'],
  ['events', 'events_ns_time', '9999992 1111111 1'],
  ['events', 'events_source_time', '9999992 1999999 1'],
  ['events', 'events_chain_time', '9999992 4 1'],
  ['event_payloads', null, '7749878'],
  ['event_processes', 'event_processes', '4642897 5 1'],
  ['event_processes', 'event_processes_name', '4642897 92858 2'],
  ['event_tags', 'event_tags', '13088241 261765 1'],
  ['event_tags', 'event_tags_event', '13088241 5 1'],
];

/**
 * A million alerts just loaded by `npm run import`: SQLite's own test for stale statistics left
 * the payloads' row count at 130,000.
 */
const A_MILLION_IMPORTED: Statistics = [
  ['events', 'events_time', '1000000 1 1 1'],
  ['event_times', null, '940000'],
  ['events', 'events_dedup', '1000000 1'],
  ['events', 'events_rule_time', '1000000 22223 1'],
  ['events', 'events_priority_time', '1000000 166667 1'],
  ['events', 'events_host_time', '1000000 166667 1'],
  ['events', 'events_container_time', '1000000 23810 1'],
  ['events', 'events_container_name_time', '553397 25155 1'],
  ['events', 'events_ns_time', '1000000 111112 1'],
  ['events', 'events_source_time', '1000000 200000 1'],
  ['events', 'events_chain_time', '1000000 4 1'],
  ['event_payloads', null, '130000'],
  ['event_processes', 'event_processes', '1504960 5 1'],
  ['event_processes', 'event_processes_name', '1504960 32021 2'],
  ['event_tags', 'event_tags', '3406743 68135 1'],
  ['event_tags', 'event_tags_event', '3406743 5 1'],
];

/** Statistics of a real store (npm run bench), loaded as this store's own. */
function loadStatistics(statistics: Statistics) {
  db.exec('ANALYZE; DELETE FROM sqlite_stat1');
  const insert = db.prepare('INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)');
  for (const [tbl, idx, stat] of statistics) insert.run(tbl, idx, stat);
  db.exec('ANALYZE sqlite_schema'); // reloads the statistics
}

describe('a page of the explorer', () => {
  // No Bloom filter (built from every row of its table whatever the page's LIMIT), and the page's rows
  // stay the outer loop: with an imported store's statistics the planner would walk every alert in
  // time order instead (docs/decisions/0020).
  describe.each([
    ['ten million', TEN_MILLION],
    ['a million just imported', A_MILLION_IMPORTED],
  ])('with the statistics of %s', (_, statistics) => {
    it.each([
      ['nothing but its range', {}],
      ['a process', { proc: ['bash'] }],
      ['a tag', { tag: ['filesystem'] }],
    ])('filtered by %s reads the page first and only its rows after, with no Bloom filter', (_, input) => {
      // Enough matches that a page of free text walks the time index (FEW_SEARCH_MATCHES) too.
      writeAlerts(
        db,
        Array.from({ length: 5_000 }, (_, i) => alertNumber(-5_000 + i)),
      );
      loadStatistics(statistics);
      const filter = EventFilter.parse({ from: '30d', ...input });
      const plans = plansOf(() => listEvents(db, filter, { limit: 10 }, NOW), /ORDER BY e\.time_ns DESC/);
      expect(plans).toHaveLength(1);
      // The page's ids first, walking the time index (within the hours that the counts name, for a
      // process or a tag found in few of the range's hours); then each of its rows, looked up by id.
      expect(plans[0]).toMatch(
        /^CO-ROUTINE page; SEARCH e USING COVERING INDEX events_time \(time_ns>\?(?: AND time_ns<\?)?\); .*SCAN page; SEARCH e USING INTEGER PRIMARY KEY \(rowid=\?\); /,
      );
      expect(plans[0]).not.toMatch(/BLOOM FILTER ON|AUTOMATIC|SCAN e\b/);
      expect(listEvents(db, filter, { limit: 10 }, NOW).events.map((e) => e.id)).toEqual([
        20, 19, 18, 17, 16, 15, 14, 13, 12, 11,
      ]);
    });
  });
});

describe('a page of common free text', () => {
  it("walks the time index a stretch at a time and asks the word index only for the stretch's ids", () => {
    // Enough matches that the page walks rather than looking each match up (FEW_SEARCH_MATCHES).
    writeAlerts(
      db,
      Array.from({ length: 5_000 }, (_, i) => alertNumber(-5_000 + i)),
    );
    loadStatistics(TEN_MILLION);
    const filter = EventFilter.parse({ from: '30d', q: 'shadow' });
    const read = () => listEvents(db, filter, { limit: 10 }, NOW);
    const [search, walk, fetch] = plansOf(read, /ORDER BY e\.time_ns DESC|rowid BETWEEN/);
    expect(walk).toMatch(
      /^SEARCH e USING COVERING INDEX events_time \(time_ns>\?\)(; USE TEMP B-TREE FOR LAST TERM OF ORDER BY)?$/,
    );
    expect(fetch).toMatch(/^SCAN page VIRTUAL TABLE INDEX \d+:; /);
    expect(fetch).toContain('SEARCH e USING INTEGER PRIMARY KEY (rowid=?)');
    expect(fetch).not.toMatch(/BLOOM FILTER ON|SCAN e\b|SCAN ep\b/);
    expect(search).toMatch(/^SCAN event_search VIRTUAL TABLE INDEX \d+:M\d*/);
    expect(read().events.map((e) => e.id)).toEqual([20, 19, 18, 17, 16, 15, 14, 13, 12, 11]);
  });
});

describe('a page of one value', () => {
  const pagePlan = (input: Record<string, unknown>) => {
    const plans = plansOf(
      () => listEvents(db, EventFilter.parse({ from: '30d', ...input }), { limit: 10 }, NOW),
      /ORDER BY e\.time_ns DESC/,
    );
    expect(plans).toHaveLength(1);
    return plans[0]!;
  };

  describe.each([
    ['a new store', [] as Statistics],
    ['ten million', TEN_MILLION],
  ])('with the statistics of %s', (_, statistics) => {
    beforeEach(() => {
      writeAlerts(
        db,
        Array.from({ length: 5_000 }, (_, i) => alertNumber(-5_000 + i)),
      );
      if (statistics.length > 0) loadStatistics(statistics);
    });

    it.each([
      ['a user', { user: ['root'] }, 'events_user_time (user_name=? AND time_ns>?)'],
      ['a user absent', { user: ['nobody'] }, 'events_user_time (user_name=? AND time_ns>?)'],
      ['an image', { image: ['nginx'] }, 'events_image_time (image_repository=? AND time_ns>?)'],
      ['an image and its tag', { image: ['nginx:1.27'] }, 'events_image_time (image_repository=? AND time_ns>?)'],
      ['a pod', { pod: ['web-1-pod'] }, 'events_pod_time (k8s_pod=? AND time_ns>?)'],
      ['two users', { user: ['root', 'nobody'] }, 'events_user_time (user_name=? AND time_ns>?)'],
    ])("of %s walks that value's own index newest first", (_, input, index) => {
      const plan = pagePlan(input);
      expect(plan).toContain(`SEARCH e USING COVERING INDEX ${index}`);
      // Several values walk one arm each: only the arms' pages are sorted, never every alert of the values.
      expect(plan).not.toMatch(/INDEX events_\w+ \([^)]*\); USE TEMP B-TREE FOR ORDER BY|BLOOM FILTER ON|SCAN e\b/);
    });

    it.each([
      [
        'namespace',
        { 'k8s.ns.name': 'rare-ns' },
        { namespace: ['rare-ns'] },
        'events_ns_time (k8s_ns=? AND time_ns>?)',
      ],
      ['host', { hostname: 'rare-host' }, { hostname: ['rare-host'] }, 'events_host_time (hostname=? AND time_ns>?)'],
      ['user', { 'user.name': 'rare-user' }, { user: ['rare-user'] }, 'events_user_time (user_name=? AND time_ns>?)'],
    ])("with a rare %s beside a common rule and container walks the rare value's index", (_, fields, input, index) => {
      writeAlerts(db, [alertNumber(40, fields)]);
      const filter = { ...input, rule: ['Read sensitive file untrusted'], container: ['c0'], minPriority: 'Warning' };
      expect(pagePlan(filter)).toContain(`SEARCH e USING INDEX ${index}`);
      expect(listEvents(db, EventFilter.parse({ from: '30d', ...filter }), { limit: 10 }, NOW).events).toHaveLength(1);
    });

    it("of a container walks its id's index and its name's apart", () => {
      const plan = pagePlan({ container: ['web-1'] });
      expect(plan).toContain('SEARCH e USING INDEX events_container_time (container_id=? AND time_ns>?)');
      expect(plan).toContain('SEARCH e USING INDEX events_container_name_time (container_name=? AND time_ns>?)');
      expect(
        listEvents(db, EventFilter.parse({ from: '30d', container: ['web-1'] }), { limit: 3 }, NOW).events.map(
          (e) => e.id,
        ),
      ).toEqual([17, 12, 7]);
    });

    it("of a chain of few alerts reads the chain's index; of a common one, the time index", () => {
      writeAlerts(db, [{ ...alertNumber(30), processChain: 'systemd\u001fsshd' }]);
      expect(pagePlan({ chain: ['systemd'] })).toMatch(
        /SEARCH e USING COVERING INDEX events_chain_time \(process_chain>\? AND process_chain<\?\)/,
      );
      expect(
        listEvents(db, EventFilter.parse({ from: '30d', chain: ['systemd'] }), { limit: 3 }, NOW).events,
      ).toHaveLength(1);
      expect(pagePlan({ chain: ['bash'] })).toMatch(
        /^CO-ROUTINE page; SEARCH e USING INDEX events_time \(time_ns>\?\)/,
      );
    });
  });

  it.each([
    ['a chain', { chain: ['bash'] }, /process_chain/, 'events_chain_time (process_chain>? AND process_chain<?)'],
    ['a user', { user: ['root'] }, /user_name/, 'events_user_time (user_name=? AND time_ns>?)'],
    [
      'an image and its tag',
      { image: ['nginx:1.27'] },
      /image_repository/,
      'events_image_time (image_repository=? AND time_ns>?)',
    ],
    ['a pod', { pod: ['web-1-pod'] }, /k8s_pod/, 'events_pod_time (k8s_pod=? AND time_ns>?)'],
  ])("counts %s's alerts from its index alone", (_, input, which, index) => {
    const filter = EventFilter.parse({ from: '30d', ...input });
    const plans = [
      ...plansOf(() => timeline(db, filter, 'priority', 8, NOW), which),
      ...plansOf(() => rangeSummary(db, filter, NOW), which),
    ];
    expect(plans).toHaveLength(2);
    for (const plan of plans)
      expect(plan).toMatch(new RegExp(`^SEARCH e USING COVERING INDEX ${index.replace(/[()?]/g, '\\$&')}`));
  });

  it('counts a range with no other filter from the counts by priority', () => {
    const filter = EventFilter.parse({ from: '30d', minPriority: 'Warning' });
    const plans = [
      ...plansOf(() => timeline(db, filter, 'priority', 8, NOW), /priority_counts_15m/),
      ...plansOf(() => rangeSummary(db, filter, NOW), /priority_counts_15m/),
    ];
    expect(plans.length).toBeGreaterThanOrEqual(2);
    for (const plan of plans) expect(plan).toMatch(/SEARCH e USING PRIMARY KEY \(quarter>\?/);
  });
});

describe('counts of free text', () => {
  it("look each match up in the narrow time table, never the alert's row, and copy no list of matches first", () => {
    writeAlerts(
      db,
      Array.from({ length: 5_000 }, (_, i) => alertNumber(-5_000 + i)),
    );
    loadStatistics(TEN_MILLION);
    const filter = EventFilter.parse({ from: '30d', q: 'shadow' });
    const reads = [() => rangeSummary(db, filter, NOW), () => timeline(db, filter, 'priority', 8, NOW)];
    const plans = reads.flatMap((read) => plansOf(read, /event_search s CROSS JOIN/));
    expect(plans).toHaveLength(2);
    for (const plan of plans)
      expect(plan).toMatch(
        /^SCAN s VIRTUAL TABLE INDEX \d+:M\d*; SEARCH e USING INTEGER PRIMARY KEY \(rowid=\?\)(; USE TEMP B-TREE FOR GROUP BY)?$/,
      );
    const sqls = reads.flatMap((read) => statementsOf(read, /event_search s CROSS JOIN/));
    for (const sql of sqls) expect(sql).toMatch(/event_search s CROSS JOIN event_times e ON e\.id = s\.rowid/);
    expect(rangeSummary(db, filter, NOW).priorities.find((p) => p.priority === 'Warning')?.count).toBe(5_020);
  });

  it("answer the other filters from the facet tokens, and read the alert's row only while old alerts lack them", () => {
    const filter = EventFilter.parse({ from: '30d', q: 'shadow', rule: ['Read sensitive file untrusted'] });
    const joins = () => statementsOf(() => rangeSummary(db, filter, NOW), /event_search s CROSS JOIN/);
    expect(joins().length).toBeGreaterThan(0);
    for (const sql of joins()) expect(sql).toMatch(/event_search s CROSS JOIN event_times e ON e\.id = s\.rowid/);
    expect(rangeSummary(db, filter, NOW).total).toBe(20);

    db.prepare('UPDATE event_facets SET ready = 0').run();
    try {
      expect(joins().length).toBeGreaterThan(0);
      for (const sql of joins()) expect(sql).toMatch(/event_search s CROSS JOIN events e ON e\.id = s\.rowid/);
      expect(rangeSummary(db, filter, NOW).total).toBe(20);
    } finally {
      db.prepare('UPDATE event_facets SET ready = 1').run();
    }
  });
});

describe("the planner's statistics", () => {
  // What FTS5 runs to drop merged segments of the word index.
  const SEGMENT_DELETE = 'SELECT count(*) FROM event_search_data WHERE id >= ? AND id <= ?';
  const planOf = () =>
    (db.prepare(`EXPLAIN QUERY PLAN ${SEGMENT_DELETE}`).all(1, 2) as { detail: string }[])
      .map((row) => row.detail)
      .join('; ');

  it('follow the word index as the store grows, so dropping a merged segment reads a range, not the whole index', () => {
    // A new store's statistics say the index has two rows, and the planner scans it for a range.
    expect(planOf()).toMatch(/^SCAN event_search_data/);
    for (let start = 100; start < 100 + STATS_CHECK_EVERY; start += 1000) {
      writeAlerts(
        db,
        Array.from({ length: 1000 }, (_, i) => alertNumber(start + i)),
      );
    }
    expect(planOf()).toMatch(/^SEARCH event_search_data USING INTEGER PRIMARY KEY/);
  });
});

describe('counts of a tag or process name of few alerts', () => {
  it.each([
    ['a process name', { proc: ['cat'] }, 'p USING COVERING INDEX event_processes_name (name=?)'],
    ['a tag', { tag: ['filesystem'] }, 't USING PRIMARY KEY (tag=?)'],
  ])("read %s's alerts by id, not every alert of the other filters", (_, input, index) => {
    loadStatistics(TEN_MILLION);
    const filter = EventFilter.parse({
      from: '30d',
      minPriority: 'Warning',
      rule: ['Read sensitive file untrusted'],
      ...input,
    });
    const plans = [
      ...plansOf(() => timeline(db, filter, 'priority', 8, NOW), /GROUP BY/),
      ...plansOf(() => rangeSummary(db, filter, NOW), /GROUP BY/),
    ];
    expect(plans).toHaveLength(2);
    const lookUp = `SEARCH e USING INTEGER PRIMARY KEY (rowid=?); LIST SUBQUERY 1; SEARCH ${index}`;
    for (const plan of plans) expect(plan.startsWith(lookUp), plan).toBe(true);
  });
});

describe('the containers list', () => {
  it('sums the hourly counts per container as it reads them in container order, with one sort for the whole list', () => {
    loadStatistics(TEN_MILLION);
    const filter = EventFilter.parse({ from: '30d' });
    const read = () => containerRows(db, filter, 500, NOW);
    const [sql] = statementsOf(read, /dimension_counts_1h/);
    expect(sql).toMatch(/FROM dimension_counts_1h e [^)]* GROUP BY e\.value, e\.detail/);
    expect(sql).not.toMatch(/dimension_counts_12h/);
    const plan = planOf(sql!);
    expect(plan).toContain('SEARCH e USING PRIMARY KEY (dimension=?)');
    expect(plan.match(/USE TEMP B-TREE FOR GROUP BY/g)).toHaveLength(1);
  });
});
