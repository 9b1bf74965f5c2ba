import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../db/connection';
import { writeAlerts } from '../db/event-writer';
import { InvalidQuery } from '../errors';
import { storedAlert, storedLine } from '../testing/alerts';
import { InvalidException } from './exceptions';
import { previewException } from './preview';

// The preview of an exception on a real store: alerts written by the writer, read back through the
// word index and their stored JSON, and counts checked against predicates written out here.

const NOW = Date.UTC(2026, 5, 1, 12);
const RULE = 'Run shell untrusted';
let db: Db;
let second = 0;

beforeEach(() => {
  db = openDatabase(':memory:');
  second = 0;
});
afterEach(() => db.close());

type Fields = Record<string, unknown>;

/** Writes alerts of `rule` with exactly these output_fields, a second apart, an hour before NOW. */
function write(list: readonly Fields[], rule = RULE, source = 'syscall', at = NOW - 3_600_000): void {
  writeAlerts(
    db,
    list.map((fields) =>
      storedAlert({
        time: new Date(at + second++ * 1_000).toISOString(),
        rule,
        priority: 'Warning',
        source,
        hostname: 'node-1',
        output: `${rule} happened`,
        output_fields: fields,
      }),
    ),
  );
}

const preview = (body: Record<string, unknown>) => previewException(db, { rule: RULE, ...body }, NOW);
const counts = async (body: Record<string, unknown>) => {
  const { matched, cannotTell, unmatched } = await preview(body);
  return { matched, cannotTell, unmatched };
};

describe('each operator as Falco reads it', () => {
  beforeEach(() =>
    write([
      { 'proc.name': 'bash', 'fd.name': '/usr/bin/ls' },
      { 'proc.name': 'bashful', 'fd.name': '/usr/bin' },
      { 'proc.name': 'sh', 'fd.name': '/usr/binx/ls' },
      { 'proc.name': 'Bash', 'fd.name': '/usr//bin//sh' },
      { 'proc.name': 'ash', 'fd.name': 'usr/bin/env' },
      { 'proc.name': 'dash', 'fd.name': '/opt/app/bin/run' },
    ]),
  );

  it('= compares the whole value, case and all', async () => {
    expect(await counts({ fields: ['proc.name'], values: [['bash']] })).toEqual({
      matched: 1,
      cannotTell: 0,
      unmatched: 5,
    });
  });

  it('in matches any of its values', async () => {
    expect(await counts({ fields: ['proc.name'], comps: ['in'], values: [[['sh', 'ash', 'zsh']]] })).toMatchObject({
      matched: 2,
    });
  });

  it('startswith, endswith and contains cut inside words', async () => {
    expect(await counts({ fields: ['proc.name'], comps: ['startswith'], values: [['bas']] })).toMatchObject({
      matched: 2,
    });
    expect(await counts({ fields: ['proc.name'], comps: ['endswith'], values: [['sh']] })).toMatchObject({
      matched: 5,
    });
    expect(await counts({ fields: ['proc.name'], comps: ['contains'], values: [['as']] })).toMatchObject({
      matched: 5,
    });
    expect(await counts({ fields: ['fd.name'], comps: ['contains'], values: [['r/bi']] })).toMatchObject({
      matched: 4,
    });
  });

  it('pmatch compares whole path components, slashes doubled or not', async () => {
    // /usr/bin/ls, /usr/bin, /usr//bin//sh and the relative usr/bin/env; not /usr/binx/ls.
    expect(await counts({ fields: ['fd.name'], comps: ['pmatch'], values: [[['/usr/bin']]] })).toMatchObject({
      matched: 4,
    });
    expect(await counts({ fields: ['fd.name'], comps: ['pmatch'], values: [[['/usr/bin/', '/opt']]] })).toMatchObject({
      matched: 5,
    });
    expect(await counts({ fields: ['fd.name'], comps: ['pmatch'], values: [[['/']]] })).toMatchObject({ matched: 6 });
  });

  it('pmatch reads a component with * ? or [ as a glob', async () => {
    const pmatch = (path: string) => counts({ fields: ['fd.name'], comps: ['pmatch'], values: [[[path]]] });
    expect(await pmatch('/usr/b*')).toMatchObject({ matched: 5 });
    expect(await pmatch('/*/bin')).toMatchObject({ matched: 4 });
    expect(await pmatch('/usr/bi?')).toMatchObject({ matched: 4 });
    expect(await pmatch('/usr/bin[!x]')).toMatchObject({ matched: 0 });
    expect(await pmatch('/usr/bin[a-z]')).toMatchObject({ matched: 1 });
    expect(await pmatch('/[[:lower:]]pt/*/bin')).toMatchObject({ matched: 1 });
  });

  it('reads brackets, escapes and stars as fnmatch does, quickly whatever the pattern', async () => {
    write([
      { 'fd.name': '/x/a]b' },
      { 'fd.name': '/x/a-b' },
      { 'fd.name': '/x/*' },
      { 'fd.name': '/x/ab' },
      { 'fd.name': `/x/${'a'.repeat(10_000)}` },
    ]);
    const pmatch = async (path: string) =>
      (await counts({ fields: ['fd.name'], comps: ['pmatch'], values: [[[path]]] })).matched;
    expect(await pmatch('/x/a[]]b')).toBe(1);
    expect(await pmatch('/x/a[-]b')).toBe(1);
    expect(await pmatch('/x/a[!-]b')).toBe(1);
    expect(await pmatch('/x/\\*')).toBe(1);
    expect(await pmatch('/x/a?')).toBe(1);
    expect(await pmatch('/x/*b')).toBe(3);
    expect(await pmatch('/x/[')).toBe(0);
    const started = performance.now();
    expect(await pmatch(`/x/${'*a'.repeat(30)}*b`)).toBe(0);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('fields, tuples and what cannot tell', () => {
  it('ANDs the fields of a tuple and ORs the tuples', async () => {
    write([
      { 'proc.name': 'bash', 'user.name': 'root' },
      { 'proc.name': 'bash', 'user.name': 'alice' },
      { 'proc.name': 'sh', 'user.name': 'root' },
      { 'proc.name': 'sh', 'user.name': 'bob' },
    ]);
    const fields = ['proc.name', 'user.name'];
    expect(await counts({ fields, values: [['bash', 'root']] })).toEqual({ matched: 1, cannotTell: 0, unmatched: 3 });
    expect(
      await counts({
        fields,
        values: [
          ['bash', 'root'],
          ['sh', 'bob'],
        ],
      }),
    ).toEqual({
      matched: 2,
      cannotTell: 0,
      unmatched: 2,
    });
  });

  it('an alert without a field, or with null or <NA> in it, cannot tell; an empty string is a value', async () => {
    write([
      { 'proc.name': 'bash', 'k8s.ns.name': 'default' },
      { 'proc.name': 'bash' },
      { 'proc.name': 'bash', 'k8s.ns.name': null },
      { 'proc.name': 'bash', 'k8s.ns.name': '<NA>' },
      { 'proc.name': 'bash', 'k8s.ns.name': '' },
      { 'proc.name': 'zsh', 'k8s.ns.name': 'default' },
      { 'proc.name': 'zsh' },
    ]);
    expect(await counts({ fields: ['proc.name', 'k8s.ns.name'], values: [['bash', 'default']] })).toEqual({
      matched: 1,
      cannotTell: 4,
      unmatched: 2,
    });
    // Only fields the exception uses count.
    expect(await counts({ fields: ['proc.name'], values: [['bash']] })).toEqual({
      matched: 5,
      cannotTell: 0,
      unmatched: 2,
    });
  });

  it('reads an ancestor’s field under falcosidekick’s bracket-replaced key too', async () => {
    write([
      { 'proc.aname[2]': 'sshd' },
      { 'proc.aname_2': 'sshd' },
      { 'proc.aname_2': 'cron' },
      { 'proc.aname[3]': 'sshd' },
    ]);
    expect(await counts({ fields: ['proc.aname[2]'], values: [['sshd']] })).toEqual({
      matched: 2,
      cannotTell: 1,
      unmatched: 1,
    });
  });

  it('numbers and addresses compare by value, list fields by every item', async () => {
    write([
      { 'proc.pid': 42, 'fd.sip': '10.0.0.1' },
      { 'proc.pid': '42', 'fd.sip': '::1' },
      { 'proc.pid': 420, 'fd.sip': '0:0:0:0:0:0:0:1' },
      { 'proc.pid': 9_007_199_254_740_993n, 'fd.sip': '10.0.0.10' },
      { 'proc.pid': '0042', 'fd.sip': '10.0.0.1' },
      { 'proc.pid': 42.0, 'fd.sip': null },
    ]);
    // The string "0042" has other words than 42: it is read, not ruled out by them.
    expect(await counts({ fields: ['proc.pid'], values: [['042']] })).toMatchObject({ matched: 4, unmatched: 2 });
    expect(await counts({ fields: ['proc.pid', 'fd.sip'], values: [['42', '10.0.0.1']] })).toEqual({
      matched: 2,
      cannotTell: 1,
      unmatched: 3,
    });
    expect(await counts({ fields: ['proc.pid'], values: [['9007199254740993']] })).toMatchObject({ matched: 1 });
    expect(await counts({ fields: ['fd.sip'], comps: ['in'], values: [[['10.0.0.1', '::1']]] })).toEqual({
      matched: 4,
      cannotTell: 1,
      unmatched: 1,
    });
    write(
      [
        { 'ka.user.groups': ['system:masters', 'system:authenticated'] },
        { 'ka.user.groups': '(system:masters,system:authenticated)' },
        { 'ka.user.groups': 'system:authenticated' },
        { 'ka.user.groups': ['system:masters', 'dev'] },
        { 'ka.user.groups': [] },
      ],
      'K8s rule',
      'k8s_audit',
    );
    const groups = await previewException(
      db,
      {
        rule: 'K8s rule',
        fields: ['ka.user.groups'],
        comps: ['in'],
        values: [[['system:masters', 'system:authenticated']]],
      },
      NOW,
    );
    expect(groups).toMatchObject({ matched: 3, cannotTell: 1, unmatched: 1 });
  });
});

describe('hostile values', () => {
  const LONG = `sh -c echo '${'QUJD'.repeat(2_500)}' | base64 -d | sh`;
  const VALUES = [
    'say "hi"',
    "it's",
    'a\nb',
    'tab\there',
    'ΣΟΦΟΣ Σοφός',
    'İstanbul',
    '日本語 テスト',
    '😀 smile',
    'ā\u0300 combining',
    '\u{E000}private',
    'AND OR NOT NEAR',
    '*',
    '"*"',
    'x:y^z',
    LONG,
  ];

  // JavaScript lower-cases a final Σ to ς, the word index folds ς to σ: a value cut before its end still matches.
  it('are found whatever lower-cases a Σ inside a longer value', async () => {
    write([{ 'proc.cmdline': 'xΟΣΑ b' }, { 'proc.cmdline': 'ΑxΟΣ' }]);
    const matched = async (comp: string, value: string) =>
      (await preview({ fields: ['proc.cmdline'], comps: [comp], values: [[value]] })).matched;
    expect(await matched('startswith', 'xΟΣ')).toBe(1);
    expect(await matched('contains', 'xΟΣ')).toBe(2);
    expect(await matched('endswith', 'xΟΣ')).toBe(1);
  });

  it('find exactly the alerts holding them, by every operator', async () => {
    write(VALUES.map((value) => ({ 'proc.cmdline': value })));
    for (const [i, value] of VALUES.entries()) {
      expect(await counts({ fields: ['proc.cmdline'], values: [[value]] }), value).toMatchObject({ matched: 1 });
      const middle = value.length > 2 ? value.slice(1, -1) : value;
      const expected = (test: (stored: string) => boolean) => VALUES.filter(test).length;
      for (const [comp, part, test] of [
        ['startswith', value.slice(0, -1) || value, (s: string) => s.startsWith(value.slice(0, -1) || value)],
        ['endswith', value.slice(1) || value, (s: string) => s.endsWith(value.slice(1) || value)],
        ['contains', middle, (s: string) => s.includes(middle)],
      ] as const)
        expect(
          (await preview({ fields: ['proc.cmdline'], comps: [comp], values: [[part]] })).matched,
          `${comp} ${i}`,
        ).toBe(expected(test));
    }
  });
});

describe('a larger store, counted independently', () => {
  // Field values from the real corpus, some left out or null, in several combinations.
  const corpus = readFileSync('e2e/fixtures/falco/real-events.ndjson', 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { output_fields?: Fields | null });
  const pick = (key: string) => [
    ...new Set(corpus.flatMap(({ output_fields: f }) => (typeof f?.[key] === 'string' ? [f[key] as string] : []))),
  ];
  const names = [...pick('proc.name'), 'Bash', 'sh'];
  const cmdlines = pick('proc.cmdline');
  const paths = [...pick('fd.name'), '/etc/shadow', '/etc/shadow-', '/etc', '/etcx/passwd'];
  const rows: Fields[] = [];
  for (let i = 0; i < 900; i++) {
    const row: Fields = { 'proc.name': names[i % names.length], 'proc.cmdline': cmdlines[(i * 7) % cmdlines.length] };
    if (i % 5 !== 0) row['fd.name'] = paths[(i * 3) % paths.length];
    else if (i % 10 === 0) row['fd.name'] = null;
    rows.push(row);
  }

  const text = (row: Fields, key: string) => row[key] as string;
  const has = (row: Fields, key: string) => typeof row[key] === 'string' && row[key] !== '<NA>';
  const pathUnder = (path: string, prefix: string) => {
    const a = path.split('/').filter(Boolean);
    const b = prefix.split('/').filter(Boolean);
    return b.every((part, i) => a[i] === part);
  };
  const CASES: [string, Record<string, unknown>, string[], (row: Fields) => boolean][] = [
    [
      '=',
      { fields: ['proc.name'], values: [['sh'], ['bash']] },
      ['proc.name'],
      (r) => ['sh', 'bash'].includes(text(r, 'proc.name')),
    ],
    [
      'startswith and pmatch',
      { fields: ['proc.name', 'fd.name'], comps: ['startswith', 'pmatch'], values: [['s', ['/etc']]] },
      ['proc.name', 'fd.name'],
      (r) => text(r, 'proc.name').startsWith('s') && pathUnder(text(r, 'fd.name'), '/etc'),
    ],
    [
      'contains',
      { fields: ['proc.cmdline'], comps: ['contains'], values: [['-c ']] },
      ['proc.cmdline'],
      (r) => text(r, 'proc.cmdline').includes('-c '),
    ],
    [
      'endswith or in',
      { fields: ['fd.name'], comps: ['endswith'], values: [['shadow'], ['passwd']] },
      ['fd.name'],
      (r) => text(r, 'fd.name').endsWith('shadow') || text(r, 'fd.name').endsWith('passwd'),
    ],
  ];

  it('gives the counts a scan of every alert gives', async () => {
    write(rows);
    for (const [name, body, used, test] of CASES) {
      const present = rows.filter((row) => used.every((key) => has(row, key)));
      const matched = present.filter(test).length;
      const expected = { matched, cannotTell: rows.length - present.length, unmatched: present.length - matched };
      expect(await counts(body), name).toEqual(expected);
      // Again, with the shapes remembered from the first time.
      expect(await counts(body), `${name}, again`).toEqual(expected);
    }
  });

  it('counts alerts written after the shapes were remembered', async () => {
    write(rows.slice(0, 100));
    const before = await counts({ fields: ['fd.name'], values: [['/etc/shadow']] });
    write([{ 'fd.name': '/etc/shadow' }, { 'proc.name': 'x' }]);
    expect(await counts({ fields: ['fd.name'], values: [['/etc/shadow']] })).toEqual({
      matched: before.matched + 1,
      cannotTell: before.cannotTell + 1,
      unmatched: before.unmatched,
    });
  });
});

describe('range, groups and answers without alerts', () => {
  it('reads the last 30 days unless told otherwise', async () => {
    write([{ 'proc.name': 'bash' }], RULE, 'syscall', NOW - 40 * 86_400_000);
    write([{ 'proc.name': 'bash' }], RULE, 'syscall', NOW - 86_400_000);
    const body = { fields: ['proc.name'], values: [['bash']] };
    expect((await preview(body)).matched).toBe(1);
    expect((await preview({ ...body, from: '60d' })).matched).toBe(2);
    expect((await preview({ ...body, from: 'all', to: '2d' })).matched).toBe(1);
    const answer = await preview({ ...body, from: '2026-05-30T12:00:00Z', to: 'now' });
    expect(answer).toMatchObject({
      matched: 1,
      from: '2026-05-30T12:00:00.000000000Z',
      to: '2026-06-01T12:00:00.000000000Z',
    });
  });

  it('names each matched alert’s group, busiest first', async () => {
    const shell = (name: string, image: string | null) => ({
      'proc.name': name,
      'proc.pname': 'runc',
      'container.image.repository': image,
    });
    write([
      shell('bash', 'nginx'),
      shell('bash', 'nginx'),
      shell('zsh', 'nginx'),
      shell('bash', 'redis'),
      shell('bash', null),
    ]);
    const answer = await preview({ fields: ['proc.pname'], values: [['runc']] });
    expect(answer.groups.map((g) => g.matched)).toEqual([2, 1, 1, 1]);
    expect(answer.groups.every((g) => /^ric-[0-9a-f]{16}$/.test(g.key))).toBe(true);
    const keys = db
      .prepare(`SELECT DISTINCT 'ric-' || lower(hex(a.k_ric)) FROM events e JOIN group_atoms a ON a.id = e.group_id`)
      .pluck()
      .all();
    expect(answer.groups.map((g) => g.key).sort()).toEqual([...keys].sort());
    // Alerts the group backfill has not reached: the same keys, from their columns.
    db.prepare('UPDATE events SET group_id = NULL').run();
    expect((await preview({ fields: ['proc.pname'], values: [['runc']] })).groups).toEqual(answer.groups);
    const narrow = await preview({ fields: ['proc.name', 'proc.pname'], values: [['bash', 'runc']] });
    expect(narrow).toMatchObject({ matched: 4, unmatched: 1, truncated: false });
    expect(narrow.groups.map((g) => g.matched)).toEqual([2, 1, 1]);
  });

  it('answers zeros for a rule with no stored alert, still checking the entry', async () => {
    expect(await preview({ rule: 'Never fired', fields: ['ka.verb'], values: [['get']] })).toMatchObject({
      rule: 'Never fired',
      matched: 0,
      cannotTell: 0,
      unmatched: 0,
      groups: [],
    });
    await expect(preview({ rule: 'Never fired', fields: ['no.such'], values: [['x']] })).rejects.toThrow(
      InvalidException,
    );
  });

  it('refuses a bad entry naming it, and a bad range', async () => {
    write([{ 'proc.name': 'bash' }]);
    const issues = async (body: Record<string, unknown>) => {
      try {
        await preview(body);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidException);
        return (error as InvalidException).issues?.map(({ index, field, code }) => ({ index, field, code }));
      }
      throw new Error('accepted');
    };
    expect(await issues({ fields: ['ka.verb'], values: [['x']] })).toEqual([
      { index: 0, field: 'fields', code: 'unknown_field' },
    ]);
    expect(await issues({ fields: ['proc.pid'], comps: ['contains'], values: [['1']] })).toEqual([
      { index: 0, field: 'comps.0', code: 'operator_mismatch' },
    ]);
    expect(await issues({ fields: ['proc.name'], comps: ['=', '='], values: [['x']] })).toEqual([
      { index: 0, field: 'comps', code: 'length_mismatch' },
    ]);
    expect(await issues({ fields: ['proc.name'], values: [['x', 'y']] })).toEqual([
      { index: 0, field: 'values.0', code: 'length_mismatch' },
    ]);
    const many = Array.from({ length: 1_001 }, (_, i) => [`p${i}`]);
    expect(await issues({ fields: ['proc.name'], values: many })).toEqual([
      { index: 0, field: 'values', code: 'too_big' },
    ]);
    expect((await preview({ fields: ['proc.name'], values: many.slice(1) })).unmatched).toBe(1);
    await expect(preview({ fields: ['proc.name'], values: [['x']], from: 'yesterday' })).rejects.toThrow(InvalidQuery);
    await expect(previewException(db, [1, 2], NOW)).rejects.toThrow(InvalidException);
  });

  it('reads real alerts as received, not the columns made of them', async () => {
    // The corpus's first alert: the image repository is in output_fields, the tag is not.
    const line = readFileSync('e2e/fixtures/falco/real-events.ndjson', 'utf8').split('\n')[0]!;
    writeAlerts(db, [storedLine(line)]);
    const rule = 'Terminal shell in container';
    const ask = (fields: string[], values: unknown[]) =>
      previewException(db, { rule, fields, values: [values] }, Date.UTC(2023, 5, 1));
    expect(await ask(['container.image.repository'], ['docker.io/library/alpine'])).toMatchObject({ matched: 1 });
    expect(await ask(['container.image.tag'], ['latest'])).toMatchObject({ cannotTell: 1 });
  });
});
