import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fieldKind } from './falco-fields';

describe('fieldKind', () => {
  it('knows every field Falco’s default rules print, but their times', () => {
    const [, ...rows] = readFileSync('e2e/fixtures/falco/default-rules.tsv', 'utf8').trim().split('\n');
    const unknown = new Set<string>();
    let seen = 0;
    for (const row of rows) {
      const [, , , output = '', source = ''] = row.split('\t');
      for (const [, field] of output.matchAll(/%([a-z0-9_.]+(?:\[[^\]]*\])?)/g)) {
        seen++;
        if (fieldKind(source, field!) === undefined) unknown.add(`${source} ${field}`);
      }
    }
    expect(seen).toBeGreaterThan(300);
    expect([...unknown].sort()).toEqual([
      'syscall container.start_ts',
      'syscall proc.exe_ino.ctime',
      'syscall proc.exe_ino.ctime_duration_proc_start',
      'syscall proc.exe_ino.mtime',
    ]);
  });

  it('tells strings, numbers and lists apart, and fields of one source from another', () => {
    expect(fieldKind('syscall', 'proc.aname[3]')).toBe('string');
    expect(fieldKind('syscall', 'proc.apid[1]')).toBe('number');
    expect(fieldKind('syscall', 'fd.sip')).toBe('number');
    expect(fieldKind('syscall', 'evt.arg.flags')).toBe('string');
    expect(fieldKind('k8s_audit', 'ka.user.groups')).toBe('list');
    expect(fieldKind('k8s_audit', 'proc.name')).toBeUndefined();
    expect(fieldKind('k8s_audit', 'proc.aname[2]')).toBeUndefined();
    expect(fieldKind('syscall', 'ka.verb')).toBeUndefined();
    expect(fieldKind('syscall', 'proc.aname[999]')).toBeUndefined();
    expect(fieldKind('aws_cloudtrail', 'ct.name')).toBeUndefined();
  });
});
