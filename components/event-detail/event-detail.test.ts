import { describe, expect, it } from 'vitest';
import { formatExactJson, memberOf, parseExactJson } from './exact-json';
import { ancestorHref, fieldFilterHref, groupFields, rangeAround } from './field-links';

describe('parseExactJson', () => {
  it('keeps integers beyond 2^53 digit for digit', () => {
    const value = parseExactJson('{"output_fields":{"evt.time":1746622234502309868,"x":-1.5e3}}');
    const fields = memberOf(value, 'output_fields');
    expect(fields && memberOf(fields, 'evt.time')).toEqual({ kind: 'number', text: '1746622234502309868' });
    expect(fields && memberOf(fields, 'x')).toEqual({ kind: 'number', text: '-1.5e3' });
  });

  it('reads what JSON.parse reads, pretty-prints to the same value', () => {
    const text = '{"a":"x\\"y\\u00e9<img src=x>","b":[1,true,null,{}],"c":[],"__proto__":{"k ":"v"}}';
    const pretty = formatExactJson(parseExactJson(text));
    expect(JSON.parse(pretty)).toEqual(JSON.parse(text));
    expect(pretty).toContain('\n  "b": [\n    1,');
    expect(formatExactJson(parseExactJson(text), 0)).toBe(text.replace('\\u00e9', 'é'));
  });

  it('rejects malformed text', () => {
    for (const bad of ['{', '{"a":}', '[1,]', '01', '"x', '{} x', ''])
      expect(() => parseExactJson(bad)).toThrow(SyntaxError);
  });
});

describe('links', () => {
  const now = Date.parse('2026-01-10T12:00:00Z');
  const event = { time: '2026-01-10T11:00:00.123456789Z', hostname: 'node-1', containerId: 'host' };

  it('keeps the range around the alert', () => {
    expect(rangeAround(event.time, now)).toEqual({ from: '24h' });
    expect(rangeAround('2026-01-08T11:00:00Z', now)).toEqual({ from: '7d' });
    expect(rangeAround('2025-05-07T12:00:00Z', now)).toEqual({
      from: '2025-05-06T12:00:00.000Z',
      to: '2025-05-08T12:00:00.000Z',
    });
  });

  it('maps fields to their filters, the rest to free text', () => {
    const href = (key: string, value: string) => fieldFilterHref(event, key, { kind: 'string', value }, now);
    expect(href('proc.name', 'cat')).toBe('/events?from=24h&proc=cat');
    expect(href('user.name', 'root')).toBe('/events?from=24h&user=root');
    expect(href('container.id', 'host')).toBe('/events?from=24h&hostname=node-1&container=host');
    expect(href('container.id', 'abc123def456')).toBe('/events?from=24h&container=abc123def456');
    expect(href('k8s.ns.name', 'payments')).toBe('/events?from=24h&namespace=payments');
    expect(href('k8s.pod.name', 'api-0')).toBe('/events?from=24h&pod=api-0');
    expect(href('fd.name', '/etc/shadow')).toBe('/events?from=24h&q=%2Fetc%2Fshadow');
    expect(fieldFilterHref(event, 'evt.time', { kind: 'number', text: '1746622234502309868' }, now)).toBe(
      '/events?from=24h&q=1746622234502309868',
    );
    expect(fieldFilterHref(event, 'proc.tty', { kind: 'null' }, now)).toBeNull();
    expect(href('proc.cmdline', 'x'.repeat(501))).toBeNull();
  });

  it('scopes ancestor links to the container, else the host', () => {
    expect(ancestorHref(event, 'bash', now)).toBe('/events?from=24h&hostname=node-1&proc=bash');
    expect(ancestorHref({ ...event, containerId: 'abc123def456' }, 'bash', now)).toBe(
      '/events?from=24h&container=abc123def456&proc=bash',
    );
  });

  it('groups fields, other last, keeping order', () => {
    const groups = groupFields([
      ['proc.name', 1],
      ['ka.verb', 2],
      ['k8s.ns.name', 3],
      ['evt.time', 4],
      ['net.sockfamily', 5],
      ['custom', 6],
      ['proc.pname', 7],
    ]);
    expect(groups.map((g) => [g.id, g.entries.map(([k]) => k)])).toEqual([
      ['process', ['proc.name', 'proc.pname']],
      ['kubernetes', ['ka.verb', 'k8s.ns.name']],
      ['file-network', ['net.sockfamily']],
      ['event', ['evt.time']],
      ['other', ['custom']],
    ]);
  });
});
