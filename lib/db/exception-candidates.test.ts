import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storedAlert } from '../testing/alerts';
import { openDatabase, type Db } from './connection';
import {
  alertAtoms,
  atomKeys,
  exceptionWordQuery,
  numberText,
  outputShapes,
  ruleAlertIds,
  storedRaws,
  wordMatches,
  type ExceptionComp,
  type ValueTest,
} from './exception-candidates';
import { writeAlerts } from './event-writer';
import { unpackRaw } from './raw-json';

const RULE = 'Some rule';
const T0 = Date.UTC(2026, 0, 1);
let db: Db;
let n = 0;

beforeEach(() => {
  db = openDatabase(':memory:');
  n = 0;
});
afterEach(() => db.close());

function write(values: readonly string[], rule = RULE): number[] {
  return writeAlerts(
    db,
    values.map((value) =>
      storedAlert({
        time: new Date(T0 + n++ * 1_000).toISOString(),
        rule,
        priority: 'Notice',
        source: 'syscall',
        output: 'something happened',
        output_fields: { 'proc.cmdline': value, 'proc.name': 'x' },
      }),
    ),
  ).map((result) => result.id);
}

const test = (comp: ExceptionComp, ...values: string[]): ValueTest => ({ comp, kind: 'string', values });
const query = (...tuples: ValueTest[][]) => exceptionWordQuery(db, tuples);

describe('exceptionWordQuery', () => {
  it('asks for the whole words a value must hold, by operator', () => {
    expect(query([test('=', 'cat /etc/shadow')])).toBe('"cat etc shadow"');
    expect(query([test('startswith', '/usr/bi')])).toBe('"usr bi"*');
    expect(query([test('startswith', '/usr/bin/')])).toBe('"usr bin"');
    // The first word of endswith and contains may be the end of a longer word.
    expect(query([test('endswith', 'bash')])).toBeNull();
    expect(query([test('endswith', '/bin/bash')])).toBe('"bin bash"');
    expect(query([test('endswith', 'x/bin/bash')])).toBe('"bin bash"');
    expect(query([test('contains', 'a/bin/sh')])).toBe('"bin sh"*');
    expect(query([test('contains', 'bin')])).toBeNull();
    expect(query([test('in', 'sh', 'Bash')])).toBe('("sh" OR "bash")');
    expect(query([test('pmatch', '/usr/*/bin', '/etc')])).toBe('(("usr" AND "bin") OR "etc")');
    expect(query([test('pmatch', '/')])).toBeNull();
  });

  it('ANDs the fields of a tuple, ORs the tuples, and gives up on a tuple that says nothing', () => {
    const name = test('=', 'nginx');
    const address: ValueTest = { comp: 'in', kind: 'number', values: ['10.0.0.1', '::1'] };
    expect(query([name, test('=', 'root')], [test('=', 'www-data')])).toBe('(("nginx" AND "root") OR "www data")');
    expect(query([name, address])).toBe('"nginx"');
    expect(query([name], [address])).toBeNull();
    // Past a few hundred values the query would cost more than it saves.
    expect(query(...Array.from({ length: 300 }, (_, i) => [test('=', `v${i}`)]))).toBeNull();
  });

  it('asks for a number’s own digits, and an IPv4 address as written', () => {
    const number = (...values: string[]): ValueTest => ({ comp: 'in', kind: 'number', values });
    expect(query([number('042', '-1', '+7')])).toBe('("42" OR "1" OR "7")');
    expect(query([number('10.0.0.1')])).toBe('"10 0 0 1"');
    expect(query([number('010.0.0.1')])).toBeNull();
    expect(query([number('1.5')])).toBeNull();
    expect(numberText('9007199254740993')).toBe('9007199254740993');
  });

  it('leaves out what the word index may split or lower-case otherwise', () => {
    // Only ASCII letters and digits are sure to be words; a phrase without one is left out.
    expect(query([test('=', '日本語')])).toBeNull();
    expect(query([test('=', '日本語 x')])).toBe('"日本語 x"');
    expect(query([test('startswith', 'ΟΔΟΣ x/yz')])).toBe('"οδος x yz"*');
    expect(query([test('=', 'say "hi" AND NEAR(x)')])).toBe('"say hi and near x"');
    expect(query([test('=', '\u{E000}r\u{E000}x')])).toBe('"r x"');
  });

  it('asks nothing while older alerts still wait to be indexed again', () => {
    db.prepare('UPDATE event_facets SET ready = 0').run();
    expect(query([test('=', 'bash')])).toBeNull();
  });

  it('asks for no prefix too broad to list', () => {
    write(Array.from({ length: 50 }, (_, i) => `a${i}`));
    expect(query([test('startswith', 'cat a')])).toBe('"cat a"*');
    expect(query([test('startswith', 'cat é')])).toBe('"cat"');
  });
});

// A small random generator, the same every run.
function random(seed: number) {
  let state = seed >>> 0;
  return (below: number) => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state % below;
  };
}

describe('wordMatches', () => {
  it('finds every alert whose value compares true, for random values and operators', () => {
    const next = random(7);
    const alphabet = [
      'a',
      'b',
      'A',
      'B',
      '0',
      '/',
      '-',
      ' ',
      '.',
      '"',
      'é',
      'Σ',
      'σ',
      '日',
      '😀',
      '_',
      'İ',
      '\u0301',
      '\n',
    ];
    const word = (length: number) => Array.from({ length }, () => alphabet[next(alphabet.length)]).join('');
    const values = Array.from({ length: 150 }, () => word(1 + next(12)));
    const ids = write(values);
    const checks: Record<ExceptionComp, (stored: string, value: string) => boolean> = {
      '=': (s, v) => s === v,
      in: (s, v) => s === v,
      startswith: (s, v) => s.startsWith(v),
      endswith: (s, v) => s.endsWith(v),
      contains: (s, v) => s.includes(v),
      pmatch: (s, v) => {
        const path = s.split('/').filter(Boolean);
        return v
          .split('/')
          .filter(Boolean)
          .every((part, i) => path[i] === part);
      },
    };
    let narrowed = 0;
    let asked = 0;
    for (let round = 0; round < 400; round++) {
      const source = values[next(values.length)]!;
      const start = next(source.length);
      const pattern = round % 4 === 0 ? word(1 + next(6)) : source.slice(start, start + 1 + next(source.length));
      for (const comp of Object.keys(checks) as ExceptionComp[]) {
        const value = comp === 'pmatch' ? pattern.replace(/[?*[]/g, '') : pattern;
        if (value === '') continue;
        asked++;
        const q = query([test(comp, value)]);
        if (q === null) continue;
        narrowed++;
        const found = wordMatches(db, q, RULE);
        const wanted = ids.filter((_, i) => checks[comp](values[i]!, value));
        expect(
          wanted.filter((id) => !found.has(id)),
          `${comp} ${JSON.stringify(value)} → ${q}`,
        ).toEqual([]);
      }
    }
    // Many of these odd values have no ASCII word to narrow by; the others must be narrowed.
    expect(narrowed / asked).toBeGreaterThan(0.35);
  });

  it('keeps to the rule, by its facet token', () => {
    const mine = write(['cat /etc/shadow']);
    write(['cat /etc/shadow'], 'Another rule');
    expect([...wordMatches(db, '"etc shadow"', RULE)]).toEqual(mine);
  });
});

describe('the rule’s alerts, their JSON and their shapes', () => {
  it('reads a rule’s alerts in range, from inclusive to exclusive', () => {
    const ids = write(['a', 'b', 'c']);
    write(['d'], 'Another rule');
    const ns = (seconds: number) => BigInt(T0 + seconds * 1_000) * 1_000_000n;
    expect(ruleAlertIds(db, RULE, undefined, undefined)).toEqual(ids);
    expect(ruleAlertIds(db, RULE, ns(1), ns(2))).toEqual([ids[1]]);
    expect(ruleAlertIds(db, RULE, ns(1), undefined)).toEqual(ids.slice(1));
    const raws = storedRaws(db, [ids[2]!, 999]);
    expect(raws.map(([id, raw]) => [id, JSON.parse(unpackRaw(raw)).output_fields['proc.cmdline']])).toEqual([
      [ids[2], 'c'],
    ]);
  });

  it('gives each alert’s atom and its key, or the columns of an alert not backfilled yet', () => {
    const [id] = write(['a']);
    const [[, atomId, columns]] = alertAtoms(db, [id!]) as [[number, number, null]];
    expect(columns).toBeNull();
    expect(atomKeys(db, [atomId]).get(atomId)).toMatch(/^[0-9a-f]{16}$/);
    db.prepare('UPDATE events SET group_id = NULL WHERE id = ?').run(id);
    expect(alertAtoms(db, [id!])).toEqual([[id, null, JSON.stringify([null, null, 'x', null, null])]]);
  });

  it('remembers shapes per alert, and forgets them when ids may be given again', () => {
    const ids = write(['a', 'b', 'c']);
    const shapes = outputShapes(db, RULE);
    shapes.remember([
      [ids[2]!, 'two'],
      [ids[0]!, 'one'],
    ]);
    shapes.remember([[ids[1]!, 'one']]);
    expect(ids.map((id) => shapes.of(id))).toEqual(['one', 'one', 'two']);
    expect(outputShapes(db, 'Another rule').of(ids[0]!)).toBeUndefined();
    expect(outputShapes(db, RULE).of(ids[2]!)).toBe('two');
    // Every alert gone: SQLite may give their ids to new ones.
    db.prepare('DELETE FROM events').run();
    write(['x']);
    expect(outputShapes(db, RULE).of(ids[0]!)).toBeUndefined();
  });
});
