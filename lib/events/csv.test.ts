import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvCell, csvHeader, csvRow } from './csv';
import type { EventSummary } from './types';
import { parseCsv } from '../testing/csv-reader';

const summary = (values: Partial<EventSummary> = {}): EventSummary => ({
  id: 7,
  time: '2026-04-06T19:32:22.162939040Z',
  rule: 'Run shell untrusted',
  priority: 'Notice',
  priorityRank: 5,
  source: 'syscall',
  hostname: 'node-a',
  internal: false,
  uuid: null,
  output: '19:32:22.162939040: Notice Shell spawned by untrusted binary',
  tags: ['T1059.004', 'container', 'mitre_execution'],
  containerId: '920b85e0cae2',
  containerName: 'lab9-target',
  imageRepository: 'docker.io/library/alpine',
  imageTag: '3.20',
  k8sNamespace: 'default',
  k8sPod: 'target-0',
  procName: 'sh',
  procExepath: '/bin/busybox',
  procCmdline: 'sh -c ls > /dev/null',
  procPid: 4242,
  parentName: 'httpd',
  parentExepath: '/bin/event-generator',
  parentCmdline: 'httpd --loglevel info',
  parentPid: 4241,
  userName: 'root',
  evtType: 'execve',
  fdName: null,
  output_fields: {},
  ...values,
});

describe('csvCell', () => {
  it('writes plain values as they are and null as an empty cell', () => {
    expect(csvCell('Run shell untrusted')).toBe('Run shell untrusted');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(null)).toBe('');
    expect(csvCell('')).toBe('');
  });

  it('quotes cells with a comma, quote, CR or LF and doubles the quotes (RFC 4180)', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line 1\nline 2')).toBe('"line 1\nline 2"');
    expect(csvCell('line 1\r\nline 2')).toBe('"line 1\r\nline 2"');
    expect(csvCell('"')).toBe('""""');
  });

  it('quotes cells with leading or trailing spaces so they survive', () => {
    expect(csvCell(' bash ')).toBe('" bash "');
    expect(csvCell('bash ')).toBe('"bash "');
  });

  it.each(['=1+1', '+cmd', '-2+3', '@SUM(A1)', '\tfoo', '\rfoo', '=HYPERLINK("http://x","y")', '-'])(
    'neutralises a cell starting with a formula character: %j',
    (text) => {
      const [[cell]] = parseCsv(`${csvCell(text)}\r\n`) as [[string]];
      expect(cell).toBe(`'${text}`);
    },
  );

  it.each([
    ' =1+1',
    '   @SUM(A1)',
    '\u00a0=1+1',
    '\u200b=1+1',
    '\ufeff+1',
    '\u2060-1',
    '\n=1+1',
    '\r\n=1',
    ' \t -2',
    '\u3000=1',
    '\uff1d1+1',
    '\uff0bcmd',
    '\uff0d2',
    '\uff20SUM(A1)',
    ' \uff1dHYPERLINK("http://x")',
  ])('neutralises a formula character after blanks or zero-width characters, and the fullwidth ones: %j', (text) => {
    const [[cell]] = parseCsv(`${csvCell(text)}\r\n`) as [[string]];
    expect(cell).toBe(`'${text}`);
  });

  it('leaves text that only starts with blanks alone', () => {
    expect(csvCell('\u00a0bash')).toBe('"\u00a0bash"');
    expect(csvCell(' a=b')).toBe('" a=b"');
    expect(csvCell('\u200bx-1')).toBe('\u200bx-1');
  });

  it('neutralises and quotes together', () => {
    expect(csvCell('=A1,B1')).toBe(`"'=A1,B1"`);
    expect(csvCell('=cmd|" /C calc"!A0')).toBe(`"'=cmd|"" /C calc""!A0"`);
    expect(csvCell('\rfoo')).toBe(`"'\rfoo"`);
  });

  it('leaves formula characters inside a cell and negative numbers alone', () => {
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('x -e /bin/sh')).toBe('x -e /bin/sh');
    expect(csvCell(-5)).toBe('-5');
  });
});

describe('csvHeader and csvRow', () => {
  it('names every column once, in a CRLF-terminated header', () => {
    const header = csvHeader();
    expect(header.endsWith('\r\n')).toBe(true);
    const [names] = parseCsv(header);
    expect(names).toEqual(CSV_COLUMNS.map(([name]) => name));
    expect(names).toEqual([
      'id',
      'time',
      'priority',
      'rule',
      'source',
      'hostname',
      'container_id',
      'container_name',
      'image',
      'namespace',
      'pod',
      'process',
      'cmdline',
      'parent',
      'user',
      'file',
      'tags',
      'output',
    ]);
  });

  it('writes one record with as many cells as the header', () => {
    const rows = parseCsv(csvHeader() + csvRow(summary()));
    expect(rows).toHaveLength(2);
    expect(rows[1]).toHaveLength(rows[0]!.length);
    const record = Object.fromEntries(rows[0]!.map((name, i) => [name, rows[1]![i]]));
    expect(record).toEqual({
      id: '7',
      time: '2026-04-06T19:32:22.162939040Z',
      priority: 'Notice',
      rule: 'Run shell untrusted',
      source: 'syscall',
      hostname: 'node-a',
      container_id: '920b85e0cae2',
      container_name: 'lab9-target',
      image: 'docker.io/library/alpine:3.20',
      namespace: 'default',
      pod: 'target-0',
      process: 'sh',
      cmdline: 'sh -c ls > /dev/null',
      parent: 'httpd',
      user: 'root',
      file: '',
      tags: 'T1059.004 container mitre_execution',
      output: '19:32:22.162939040: Notice Shell spawned by untrusted binary',
    });
  });

  it('keeps hostile text in its own cell, neutralised, with the column count intact', () => {
    const hostile = summary({
      rule: 'Rule, with "quotes"',
      procCmdline: '=cmd|" /C calc"!A0',
      parentName: '-e',
      containerName: '@evil',
      fdName: '/tmp/a,b\r\nc',
      output: 'multi\nline, "output"\twith tab',
      userName: '+1',
      hostname: '\tnode',
      tags: [],
      imageTag: null,
    });
    const rows = parseCsv(csvHeader() + csvRow(hostile) + csvRow(summary()));
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(r).toHaveLength(CSV_COLUMNS.length);
    const record = Object.fromEntries(rows[0]!.map((name, i) => [name, rows[1]![i]]));
    expect(record).toMatchObject({
      rule: 'Rule, with "quotes"',
      cmdline: `'=cmd|" /C calc"!A0`,
      parent: `'-e`,
      container_name: `'@evil`,
      file: '/tmp/a,b\r\nc',
      output: 'multi\nline, "output"\twith tab',
      user: `'+1`,
      hostname: `'\tnode`,
      tags: '',
      image: 'docker.io/library/alpine',
    });
  });

  it('leaves the image empty without a repository and writes null columns as empty cells', () => {
    const bare = summary({
      imageRepository: null,
      imageTag: 'latest',
      containerId: null,
      containerName: null,
      procName: null,
      source: null,
    });
    const [, record] = parseCsv(csvHeader() + csvRow(bare));
    const header = CSV_COLUMNS.map(([name]) => name);
    const cell = (name: string) => record![header.indexOf(name as (typeof header)[number])];
    expect(cell('image')).toBe('');
    expect(cell('container_id')).toBe('');
    expect(cell('process')).toBe('');
    expect(cell('source')).toBe('');
  });
});
