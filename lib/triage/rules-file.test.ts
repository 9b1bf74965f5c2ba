import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { InvalidException, parseExceptions, type ExceptionValue } from './exceptions';
import { falcoValue, rulesFileYaml } from './rules-file';

const schema = JSON.parse(readFileSync('e2e/fixtures/falco/rule_json_schema.json', 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addMetaSchema(draft06);
const validate = ajv.compile(schema);

// Falco's condition parser: a bare word, or a double-quoted string with its escapes (libs escaping.cpp).
const BARE = /^[^()"'\s=,]+$/u;
const QUOTED = /^"(?:[^"\\]|\\[bfnrt\\/"])*"$/su;
const UNESCAPE: Record<string, string> = {
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  '\\': '\\',
  '/': '/',
  '"': '"',
};
function asFalcoReadsIt(text: string): string {
  if (BARE.test(text)) return text;
  expect(text, 'a value Falco cannot take bare is one quoted string').toMatch(QUOTED);
  return text.slice(1, -1).replace(/\\(.)/gsu, (_, c: string) => UNESCAPE[c]!);
}

const HOSTILE = [
  'on',
  'yes',
  'null',
  '~',
  '1.0',
  '0x1F',
  '*',
  '&anchor',
  '!tag',
  '- item',
  '? key',
  'key: value',
  'a #comment',
  '#',
  '{a: b}',
  '[a, b]',
  '|',
  '>',
  '%YAML',
  '@at',
  '`tick`',
  '"double"',
  "'single'",
  'back\\slash',
  'line\nbreak',
  'carriage\rreturn',
  'tab\there',
  'x\u2028y\u0085z',
  'nul\u0001byte',
  'proc (with) = commas, here',
  'café 日本語 🚀 ‮rtl',
  '  leading and trailing  ',
  `/bin/sh -c ${'x'.repeat(10_240)}`,
];

const file = (entries: unknown[], sourceOf: (rule: string) => string | undefined = () => 'syscall') =>
  rulesFileYaml(parseExceptions({ exceptions: entries }, sourceOf), {
    who: 'analyst',
    at: new Date('2026-12-07T12:00:00Z'),
  });

describe('rulesFileYaml', () => {
  it('writes hostile values that YAML and Falco read back as the same strings', () => {
    const values: ExceptionValue[][] = HOSTILE.map((value) => [value, [value, 'plain']]);
    const text = file([
      { rule: 'Terminal shell in container', fields: ['proc.cmdline', 'proc.pname'], comps: ['=', 'in'], values },
    ]);
    const items = parse(text) as { rule: string; exceptions: { values: (string | string[])[][] }[] }[];
    expect(items).toHaveLength(1);
    const tuples = items[0]!.exceptions[0]!.values;
    expect(tuples).toHaveLength(HOSTILE.length);
    tuples.forEach(([scalar, list], i) => {
      expect(asFalcoReadsIt(scalar as string)).toBe(HOSTILE[i]);
      expect((list as string[]).map(asFalcoReadsIt)).toEqual([HOSTILE[i], 'plain']);
    });
    expect(validate(items), JSON.stringify(validate.errors)).toBe(true);
  });

  it('lines fields, comps and values up, appends to each rule once, and validates against Falco’s schema', () => {
    const text = file([
      {
        rule: 'Terminal shell in container',
        fields: ['proc.pname', 'container.image.repository'],
        values: [['bash', 'nginx']],
      },
      { rule: 'Write below etc', fields: ['fd.name'], comps: ['pmatch'], values: [[['/etc/ssl', '/etc/pki']]] },
      {
        rule: 'Terminal shell in container',
        fields: ['proc.aname[2]'],
        comps: ['startswith'],
        values: [['containerd']],
      },
    ]);
    const items = parse(text) as Record<string, unknown>[];
    expect(validate(items), JSON.stringify(validate.errors)).toBe(true);
    expect(items.map((item) => item.rule)).toEqual(['Terminal shell in container', 'Write below etc']);
    expect(items[0]).toEqual({
      rule: 'Terminal shell in container',
      exceptions: [
        {
          name: 'perch_proc_pname_container_image_repository',
          fields: ['proc.pname', 'container.image.repository'],
          comps: ['=', '='],
          values: [['bash', 'nginx']],
        },
        { name: 'perch_proc_aname2', fields: ['proc.aname[2]'], comps: ['startswith'], values: [['containerd']] },
      ],
      override: { exceptions: 'append' },
    });
    expect(items[1]!.exceptions).toEqual([
      { name: 'perch_fd_name', fields: ['fd.name'], comps: ['pmatch'], values: [[['/etc/ssl', '/etc/pki']]] },
    ]);
  });

  it('keeps comments on one line whatever the group key or user holds', () => {
    const evil = 'g\n- rule: injected\r  exceptions: []\u2028#x';
    const text = rulesFileYaml(
      parseExceptions(
        { exceptions: [{ rule: 'R', fields: ['proc.name'], values: [['x']], group: evil, matched: 12 }] },
        () => 'syscall',
      ),
      { who: `eve\n- rule: also injected`, at: new Date(0) },
    );
    const items = parse(text) as Record<string, unknown>[];
    expect(items.map((item) => item.rule)).toEqual(['R']);
    expect(text).toContain('matched 12 stored alert(s)');
    // As a YAML 1.1 reader (Falco's yaml-cpp) breaks lines: at \r, NEL and the Unicode separators too.
    for (const line of text.split(/\r\n|[\n\r\u0085\u2028\u2029]/))
      expect(line.trimStart().startsWith('#') || !line.includes('injected'), line).toBe(true);
  });

  it('quotes for Falco only what its parser cannot take bare', () => {
    expect(falcoValue('/usr/bin/bash')).toBe('/usr/bin/bash');
    expect(falcoValue('a b')).toBe('"a b"');
    expect(falcoValue('f(x)')).toBe('"f(x)"');
    expect(falcoValue('say "hi"\\')).toBe('"say \\"hi\\"\\\\"');
  });
});

describe('parseExceptions', () => {
  const issues = (entries: unknown[], sourceOf: (rule: string) => string | undefined = () => 'syscall') => {
    try {
      parseExceptions({ exceptions: entries }, sourceOf);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidException);
      return (error as InvalidException).issues!.map(({ index, field, code }) => ({ index, field, code }));
    }
    throw new Error('accepted');
  };
  const ok = { rule: 'R', fields: ['proc.name'], values: [['bash']] };

  it('names each bad entry by index and field', () => {
    expect(
      issues([
        ok,
        { ...ok, fields: ['proc.nmae'] },
        { ...ok, fields: ['proc.pid'], comps: ['startswith'], values: [['1']] },
        { ...ok, comps: ['=', '='] },
        { ...ok, values: [['a', 'b']] },
        { ...ok, comps: ['in'], values: [['bash']] },
        { ...ok, comps: ['~='] },
        { ...ok, name: '1bad name' },
        { ...ok, fields: ['ka.user.groups'], comps: ['pmatch'], values: [[['x']]] },
        { ...ok, values: [['']] },
      ]),
    ).toEqual([
      { index: 1, field: 'fields', code: 'unknown_field' },
      { index: 2, field: 'comps.0', code: 'operator_mismatch' },
      { index: 3, field: 'comps', code: 'length_mismatch' },
      { index: 4, field: 'values.0', code: 'length_mismatch' },
      { index: 5, field: 'values.0.0', code: 'invalid_value' },
      { index: 6, field: 'comps.0', code: 'unknown_operator' },
      { index: 7, field: 'name', code: 'invalid_name' },
      { index: 8, field: 'fields', code: 'unknown_field' },
      { index: 9, field: 'values.0.0', code: 'invalid_value' },
    ]);
  });

  it('takes the rule’s source from the store unless the entry gives one, and knows each source’s fields', () => {
    expect(issues([ok], () => undefined)).toEqual([{ index: 0, field: 'source', code: 'unknown_source' }]);
    expect(issues([ok], () => 'aws_cloudtrail')).toEqual([{ index: 0, field: 'source', code: 'unknown_source' }]);
    expect(issues([{ ...ok, fields: ['ka.user.name'] }])).toEqual([
      { index: 0, field: 'fields', code: 'unknown_field' },
    ]);
    expect(issues([{ ...ok, source: 'k8s_audit' }])).toEqual([{ index: 0, field: 'fields', code: 'unknown_field' }]);
    const [audit] = parseExceptions(
      {
        exceptions: [
          { ...ok, source: 'k8s_audit', fields: ['ka.user.groups'], comps: ['in'], values: [[['system:masters']]] },
        ],
      },
      () => 'syscall',
    );
    expect(audit!.source).toBe('k8s_audit');
  });

  it('refuses two exceptions of one rule with one name, and numbers the names it makes', () => {
    expect(
      issues([
        { ...ok, name: 'same' },
        { ...ok, name: 'same' },
      ]),
    ).toEqual([{ index: 1, field: 'name', code: 'duplicate_name' }]);
    const names = parseExceptions({ exceptions: [ok, ok, { ...ok, rule: 'Other' }] }, () => 'syscall').map(
      (e) => e.name,
    );
    expect(names).toEqual(['perch_proc_name', 'perch_proc_name_2', 'perch_proc_name']);
  });

  it('refuses a body without exceptions', () => {
    for (const body of [null, {}, { exceptions: [] }, { exceptions: 'x' }])
      expect(() => parseExceptions(body, () => 'syscall')).toThrow(InvalidException);
  });
});
