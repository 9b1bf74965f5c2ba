import { describe, expect, it } from 'vitest';
import {
  defaultPick,
  draftEntry,
  draftProblems,
  entrySummary,
  fittingComps,
  initialPicks,
  proposeFields,
  rangeHolding,
  sourceOf,
  withComp,
} from './draft';

const sample = (fields: Record<string, unknown>, source: string | null = 'syscall') => ({
  time: '2026-03-01T12:00:00.000000000Z',
  source,
  output_fields: fields,
});

describe('proposeFields', () => {
  const samples = [
    sample({ 'proc.name': 'curl', 'proc.pname': 'bash', environment: 'prod', 'proc.pid': 42 }),
    sample({ 'proc.name': 'curl', 'proc.pname': null, environment: 'prod', 'proc.pid': 43 }),
    sample({ 'proc.name': 'wget', 'proc.pname': '<NA>', 'customfields.team': 'a' }),
  ];

  it('offers Falco fields of the source only, with the values seen, most seen first', () => {
    const proposed = proposeFields(samples, 'syscall');
    expect(proposed.map((p) => p.field)).toEqual(['proc.name', 'proc.pname', 'proc.pid']);
    expect(proposed[0]).toEqual({
      field: 'proc.name',
      kind: 'string',
      present: 3,
      values: [
        { value: 'curl', count: 2 },
        { value: 'wget', count: 1 },
      ],
    });
    // null and Falco's <NA> are no value: the alert lacks the field.
    expect(proposed[1]).toMatchObject({ present: 1, values: [{ value: 'bash', count: 1 }] });
    expect(proposed[2]).toMatchObject({ kind: 'number', present: 2 });
  });

  it('reads list fields as their items, and knows no fields of an unknown source', () => {
    const audit = [sample({ 'ka.user.groups': ['system:masters', 'dev'], 'ka.verb': 'get' }, 'k8s_audit')];
    expect(sourceOf(audit)).toBe('k8s_audit');
    expect(sourceOf([sample({}, null)])).toBe('syscall');
    const [verb, groups] = proposeFields(audit, 'k8s_audit');
    expect(verb).toMatchObject({ field: 'ka.verb' });
    expect(groups).toMatchObject({ kind: 'list', values: [{ value: 'dev' }, { value: 'system:masters' }] });
    expect(defaultPick(groups!)).toEqual({
      field: 'ka.user.groups',
      kind: 'list',
      comp: 'in',
      text: 'dev\nsystem:masters',
    });
    expect(proposeFields(audit, 'aws_cloudtrail')).toEqual([]);
  });
});

describe('picks and the entry they make', () => {
  const proposed = proposeFields(
    [sample({ 'proc.name': 'curl', 'proc.pname': 'bash' }), sample({ 'proc.name': 'wget', 'proc.pname': 'bash' })],
    'syscall',
  );

  it('starts from the fields every sample agrees on; a field with several values takes them with in', () => {
    expect(initialPicks(proposed, 2)).toEqual([{ field: 'proc.pname', kind: 'string', comp: '=', text: 'bash' }]);
    expect(defaultPick(proposed[0]!)).toEqual({ field: 'proc.name', kind: 'string', comp: 'in', text: 'curl\nwget' });
  });

  it('offers only the operators that fit the kind, and keeps one line for a one-value operator', () => {
    expect(fittingComps('number')).toEqual(['=', 'in']);
    expect(fittingComps('list')).toEqual(['in']);
    expect(fittingComps('string')).toHaveLength(6);
    expect(withComp({ field: 'proc.name', kind: 'string', comp: 'in', text: 'curl\nwget' }, 'startswith')).toEqual({
      field: 'proc.name',
      kind: 'string',
      comp: 'startswith',
      text: 'curl',
    });
  });

  it('makes one tuple, lists for in and pmatch, and names what is missing', () => {
    const picks = [
      { field: 'proc.name', kind: 'string' as const, comp: 'in' as const, text: 'curl\n\nwget\n' },
      { field: 'fd.name', kind: 'string' as const, comp: 'pmatch' as const, text: '/tmp' },
      { field: 'proc.pname', kind: 'string' as const, comp: '=' as const, text: 'bash' },
    ];
    const entry = draftEntry('Rule', 'syscall', picks, { group: 'ric-0123456789abcdef', name: '' });
    expect(entry).toEqual({
      rule: 'Rule',
      source: 'syscall',
      fields: ['proc.name', 'fd.name', 'proc.pname'],
      comps: ['in', 'pmatch', '='],
      values: [[['curl', 'wget'], ['/tmp'], 'bash']],
      group: 'ric-0123456789abcdef',
    });
    expect(entrySummary(entry)).toBe('proc.name in (curl, wget) and fd.name pmatch (/tmp) and proc.pname = bash');
    expect(draftProblems(picks)).toEqual([]);
    expect(draftProblems([])).toEqual(['Tick at least one field.']);
    expect(
      draftProblems([
        { ...picks[0]!, text: '\n' },
        { ...picks[2]!, text: '' },
      ]),
    ).toEqual(['proc.name needs at least one value.', 'proc.pname needs a value.']);
  });
});

describe('rangeHolding', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  it('widens the preview past 30 days only when the newest sample is older', () => {
    expect(rangeHolding('2026-02-28T12:00:00.000000000Z', now)).toBe('30d');
    expect(rangeHolding('2026-01-01T12:00:00.000000000Z', now)).toBe('90d');
    expect(rangeHolding('2025-01-01T12:00:00.000000000Z', now)).toBe('all');
    expect(rangeHolding(undefined, now)).toBe('30d');
  });
});
