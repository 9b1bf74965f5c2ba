import { describe, expect, it } from 'vitest';
import { EventFilter } from '../filters/event-filter';
import { filterToSql } from './filter-sql';
import { openDatabase } from './connection';

const NOW = Date.UTC(2026, 3, 6, 20, 0, 0);

describe('filterToSql', () => {
  it('has no WHERE for an empty filter with internal events included', () => {
    expect(filterToSql(EventFilter.parse({ internal: 'include' }), NOW)).toEqual({ where: '', params: {} });
  });

  it('excludes internal events by default and can select only them', () => {
    expect(filterToSql(EventFilter.parse({}), NOW).where).toBe('WHERE e.internal = 0');
    expect(filterToSql(EventFilter.parse({ internal: 'only' }), NOW).where).toBe('WHERE e.internal = 1');
  });

  it('binds every user value as a parameter, never as SQL text', () => {
    const hostile = "x') OR 1=1; DROP TABLE events; --";
    const filter = EventFilter.parse({
      rule: [hostile],
      source: [hostile],
      hostname: [hostile],
      container: [hostile],
      image: [hostile],
      namespace: [hostile],
      pod: [hostile],
      tag: [hostile],
      user: [hostile],
      proc: [hostile],
      chain: [hostile],
      q: hostile,
      priority: ['Warning'],
      minPriority: 'Error',
      from: '1h',
      to: 'now',
    });
    const { where, params } = filterToSql(filter, NOW);
    expect(where).not.toContain('DROP');
    expect(where).not.toContain("'x'");
    // An image's value is bound twice (image, or image:tag, and the repository it implies).
    expect(Object.values(params).filter((v) => v === hostile)).toHaveLength(12);
    expect(params.chainBelow0).toBe(`${hostile}\u001f`);
    expect(params.chainEnd0).toBe(`${hostile} `);
    // Free text is one quoted FTS5 phrase (migration 0005), bound like the rest.
    expect(params.q).toBe(`"${hostile.toLowerCase()}"`);
    expect(params.priority0).toBe(4);
    expect(params.minRank).toBe(3);
    expect(params.fromNs).toBe(BigInt(NOW - 3_600_000) * 1_000_000n);
    expect(params.toNs).toBe(BigInt(NOW) * 1_000_000n);

    // And the statement runs on a real store without harm.
    const db = openDatabase(':memory:');
    expect(db.prepare(`SELECT count(*) AS n FROM events e ${where}`).get(params)).toEqual({ n: 0 });
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'events'").get()).toEqual({ n: 1 });
    db.close();
  });

  it('gives each value of a list its own parameter and de-duplicates priority ranks', () => {
    const { where, params } = filterToSql(
      EventFilter.parse({ hostname: ['a', 'b', 'c'], priority: ['Warning', 'warn', 'WARNING', 'Debug'] }),
      NOW,
    );
    expect(where).toContain('e.hostname IN (@hostname0, @hostname1, @hostname2)');
    expect(params).toMatchObject({ hostname0: 'a', hostname1: 'b', hostname2: 'c', priority0: 4, priority1: 7 });
    expect('priority2' in params).toBe(false);
  });

  it('leaves out a blank q', () => {
    expect(filterToSql(EventFilter.parse({ q: '   ' }), NOW).params).toEqual({});
  });
});
