import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractAncestry, type AncestryLevel } from './ancestry';
import { parseJson } from './json';

const CORPUS = fileURLToPath(new URL('../../e2e/fixtures/falco/real-events.ndjson', import.meta.url));
const corpusLines = readFileSync(CORPUS, 'utf8')
  .split('\n')
  .filter((line) => line !== '');
const fieldsOfLine = (n: number) =>
  (parseJson(corpusLines[n - 1]!) as { output_fields: Record<string, unknown> }).output_fields;

const level = (n: number, values: Partial<Omit<AncestryLevel, 'level'>> = {}): AncestryLevel => ({
  level: n,
  name: null,
  exepath: null,
  cmdline: null,
  pid: null,
  ...values,
});

describe('extractAncestry', () => {
  it('reads corpus line 16 as cat ← sudo ← sudo ← zsh ← kitty', () => {
    expect(extractAncestry(fieldsOfLine(16))).toEqual([
      level(0, { name: 'cat', exepath: '/usr/bin/cat', cmdline: 'cat /etc/shadow' }),
      level(1, { name: 'sudo' }),
      level(2, { name: 'sudo' }),
      level(3, { name: 'zsh' }),
      level(4, { name: 'kitty' }),
    ]);
  });

  it('keeps the null ancestors of corpus line 37 as unknown levels', () => {
    expect(extractAncestry(fieldsOfLine(37))).toEqual([
      level(0, { name: 'sh', exepath: '/bin/busybox', cmdline: 'sh -c ls > /dev/null' }),
      level(1, {
        name: 'httpd',
        exepath: '/bin/event-generator',
        cmdline: 'httpd --loglevel info run ^helper.RunShell$',
      }),
      level(2, { name: 'event-generator' }),
      level(3, { name: 'containerd-shim' }),
      level(4),
      level(5),
      level(6),
      level(7),
    ]);
  });

  it('treats `<NA>` and empty strings as unknown (corpus line 31)', () => {
    const chain = extractAncestry(fieldsOfLine(31));
    expect(chain.map((l) => l.name)).toEqual([null, 'containerd-shim', null, null, null]);
    expect(chain[0]).toEqual(level(0));
  });

  it('reads a parent that is null as an unknown level 1 (corpus line 22)', () => {
    expect(extractAncestry(fieldsOfLine(22))).toEqual([level(0, { name: 'bash', cmdline: 'bash ' }), level(1)]);
  });

  it('returns an empty chain when the alert names no process (k8s_audit, corpus line 84)', () => {
    expect(extractAncestry(fieldsOfLine(84))).toEqual([]);
    expect(extractAncestry({})).toEqual([]);
  });

  it('reads falcosidekick bracket-replaced keys', () => {
    expect(
      extractAncestry({
        'proc.name': 'cat',
        'proc.pname': 'sudo',
        'proc.aname_2': 'bash',
        'proc.aname_3': 'tmux',
        'proc.apid_2': 300,
      }),
    ).toEqual([
      level(0, { name: 'cat' }),
      level(1, { name: 'sudo' }),
      level(2, { name: 'bash', pid: 300 }),
      level(3, { name: 'tmux' }),
    ]);
  });

  it('takes pids from proc.pid, proc.ppid and proc.apid[N]', () => {
    expect(
      extractAncestry({
        'proc.name': 'cat',
        'proc.pid': 4242,
        'proc.pname': 'sudo',
        'proc.ppid': 4241,
        'proc.aname[2]': 'bash',
        'proc.apid[2]': 100,
        'proc.acmdline[2]': 'bash -l',
        'proc.aexepath[2]': '/usr/bin/bash',
        'proc.apid[3]': '1',
      }),
    ).toEqual([
      level(0, { name: 'cat', pid: 4242 }),
      level(1, { name: 'sudo', pid: 4241 }),
      level(2, { name: 'bash', pid: 100, cmdline: 'bash -l', exepath: '/usr/bin/bash' }),
      level(3, { pid: 1 }),
    ]);
  });

  it('falls back to proc.vpid, proc.exe and proc.pexe, preferring the specific keys', () => {
    expect(extractAncestry({ 'proc.vpid': 7, 'proc.exe': 'sh', 'proc.pexe': '/bin/sudo' })).toEqual([
      level(0, { pid: 7, exepath: 'sh' }),
      level(1, { exepath: '/bin/sudo' }),
    ]);
    expect(
      extractAncestry({
        'proc.exe': 'sh',
        'proc.exepath': '/bin/busybox',
        'proc.pid': 1,
        'proc.vpid': 2,
        'proc.pexepath': '/usr/bin/sudo',
        'proc.pexe': 'sudo',
      }),
    ).toEqual([level(0, { pid: 1, exepath: '/bin/busybox' }), level(1, { exepath: '/usr/bin/sudo' })]);
    // A null specific key does not hide the fallback.
    expect(extractAncestry({ 'proc.exepath': null, 'proc.exe': '/bin/sh' })).toEqual([
      level(0, { exepath: '/bin/sh' }),
    ]);
  });

  it('fills gaps between mentioned levels with unknown levels', () => {
    expect(extractAncestry({ 'proc.name': 'cat', 'proc.aname[3]': 'init' })).toEqual([
      level(0, { name: 'cat' }),
      level(1),
      level(2),
      level(3, { name: 'init' }),
    ]);
    expect(extractAncestry({ 'proc.aname[2]': 'bash' })).toEqual([level(0), level(1), level(2, { name: 'bash' })]);
  });

  it('ignores pids that are not whole numbers and levels beyond 64', () => {
    expect(extractAncestry({ 'proc.pid': 1.5, 'proc.ppid': 'abc', 'proc.apid[2]': '12' })).toEqual([
      level(0),
      level(1),
      level(2, { pid: 12 }),
    ]);
    expect(extractAncestry({ 'proc.name': 'a', 'proc.aname[65]': 'deep', 'proc.aname[999]': 'deeper' })).toEqual([
      level(0, { name: 'a' }),
    ]);
    expect(extractAncestry({ 'proc.aname[64]': 'deep' })).toHaveLength(65);
  });

  it('ignores unrelated keys that only look similar', () => {
    expect(
      extractAncestry({
        'proc.aname': 'x',
        'proc.aname[x]': 'y',
        'proc.anamex[2]': 'z',
        'proc.tty': 0,
        'user.name': 'root',
      }),
    ).toEqual([]);
  });

  // Falco sorts keys, and `proc.aexe[` (argv[0]) sorts before `proc.aexepath[`: taking whichever comes
  // first would let argv[0] win over the real path at levels 2 and up, unlike levels 0 and 1.
  it('prefers proc.aexepath[N] over proc.aexe[N], as for levels 0 and 1', () => {
    const chain = extractAncestry({ 'proc.aexe[2]': 'bash', 'proc.aexepath[2]': '/usr/bin/bash' });
    expect(chain[2]?.exepath).toBe('/usr/bin/bash');
  });
});
