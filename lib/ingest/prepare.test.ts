import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, getConfig, readConfig } from '../config';
import { prepareEntries } from './prepare';
import { splitBody } from './split-body';

const CORPUS = fileURLToPath(new URL('../../e2e/fixtures/falco/real-events.ndjson', import.meta.url));
const corpusText = readFileSync(CORPUS, 'utf8');
const corpusLines = corpusText.split('\n').filter((line) => line !== '');
const corpusLine = (n: number) => corpusLines[n - 1]!;

const prepare = (body: string) => prepareEntries(splitBody(body).entries);
const good = { time: '2023-05-25T13:44:05.478445995Z', rule: 'Some rule', priority: 'Warning' };
const json = (value: unknown) => JSON.stringify(value);

describe('prepareEntries', () => {
  it('accepts every corpus line, keeping its position and raw text', () => {
    const { valid, issues, hasSyntaxErrors } = prepare(corpusText);
    expect(issues).toEqual([]);
    expect(hasSyntaxErrors).toBe(false);
    expect(valid).toHaveLength(87);
    valid.forEach((entry, i) => {
      expect(entry.position).toEqual({ line: i + 1 });
      expect(entry.alert.raw).toBe(corpusLines[i]);
    });
  });

  it('names a missing field, without a position for a single object', () => {
    const { valid, issues } = prepare(json({ time: good.time, priority: 'Warning' }));
    expect(valid).toEqual([]);
    expect(issues).toEqual([{ field: 'rule', code: 'missing_field', message: 'rule is required' }]);
  });

  it('reports every missing required field', () => {
    const { issues } = prepare('{}');
    expect(issues.map((i) => [i.field, i.code])).toEqual([
      ['time', 'missing_field'],
      ['rule', 'missing_field'],
      ['priority', 'missing_field'],
    ]);
  });

  it('uses the array index for array entries', () => {
    const body = json([
      good,
      { ...good, priority: 'Loud' },
      { ...good, time: '2023-02-30T00:00:00Z' },
      42,
      { ...good, rule: '' },
    ]);
    const { valid, issues } = prepare(body);
    expect(valid.map((v) => v.position)).toEqual([{ index: 0 }]);
    expect(issues.map(({ message: _message, ...rest }) => rest)).toEqual([
      { index: 1, field: 'priority', code: 'unknown_priority' },
      { index: 2, field: 'time', code: 'invalid_time' },
      { index: 3, code: 'not_an_object' },
      { index: 4, field: 'rule', code: 'empty_field' },
    ]);
    expect(issues[0]!.message).toMatch(/Emergency, Alert, Critical, Error, Warning, Notice, Informational, Debug/);
    expect(issues[1]!.message).toMatch(/RFC 3339/);
  });

  it('uses the line number for NDJSON entries, including invalid JSON', () => {
    const body = [
      json(good),
      '',
      json({ ...good, time: 'garbage' }),
      '{"rule": "cut off',
      '"a string"',
      json({ ...good, priority: 'info' }),
    ].join('\n');
    const { valid, issues, hasSyntaxErrors } = prepare(body);
    expect(hasSyntaxErrors).toBe(true);
    expect(valid.map((v) => [v.position, v.alert.priority])).toEqual([
      [{ line: 1 }, 'Warning'],
      [{ line: 6 }, 'Informational'],
    ]);
    expect(issues.map((i) => [i.line, i.field, i.code])).toEqual([
      [3, 'time', 'invalid_time'],
      [4, undefined, 'invalid_json'],
      [5, undefined, 'not_an_object'],
    ]);
    expect(issues[1]!.message).toMatch(/^not valid JSON: /);
  });

  it('does not flag syntax errors when every entry is JSON', () => {
    expect(prepare(json({ ...good, priority: 'x' })).hasSyntaxErrors).toBe(false);
  });

  it('reports nested fields by path', () => {
    const { issues } = prepare(json({ ...good, tags: ['ok', 7] }));
    expect(issues.map((i) => i.field)).toEqual(['tags.1']);
  });

  // Guards a fixed bug: zod 4 drops `issue.input` unless reportInput is set, so issueCode() sees undefined for
  // every invalid_type issue and reports a present-but-wrong value as missing_field ("rule is
  // required") instead of wrong_type.
  it('reports a present value of the wrong type as wrong_type, not missing_field', () => {
    const { issues } = prepare(json({ ...good, rule: 42, tags: 'container', output_fields: [] }));
    expect(issues.map((i) => [i.field, i.code])).toEqual([
      ['rule', 'wrong_type'],
      ['tags', 'wrong_type'],
      ['output_fields', 'wrong_type'],
    ]);
    expect(issues[0]!.message).not.toBe('rule is required');
  });

  describe('falcosidekick webui envelope', () => {
    const event = corpusLine(16).replace('{"hostname"', '{"uuid":"0d4e7ba8-4a1c-4a4b-9d5c-2c3b6e8f0a11","hostname"');

    it('unwraps {"event": …, "outputs": [...]} and keeps the exact event text as raw', () => {
      const body = `{"event": ${event},"outputs":["WebUI"]}`;
      const { valid, issues } = prepare(body);
      expect(issues).toEqual([]);
      expect(valid).toHaveLength(1);
      const { alert } = valid[0]!;
      expect(alert.raw).toBe(event);
      expect(alert.uuid).toBe('0d4e7ba8-4a1c-4a4b-9d5c-2c3b6e8f0a11');
      expect(alert.rule).toBe('Read sensitive file untrusted');
      expect(alert.ancestry.map((l) => l.name)).toEqual(['cat', 'sudo', 'sudo', 'zsh', 'kitty']);
    });

    it('unwraps when "outputs" comes first and whitespace varies', () => {
      const body = `{\n  "outputs" : [ "WebUI", "Slack" ],\n  "event" :\t${event}\n}`;
      const { valid } = prepare(body);
      expect(valid[0]!.alert.raw).toBe(event);
    });

    it('names the fields of an invalid wrapped event', () => {
      const { issues } = prepare(json({ event: { time: good.time, rule: 'r' }, outputs: ['WebUI'] }));
      expect(issues.map((i) => [i.field, i.code])).toEqual([['priority', 'missing_field']]);
    });

    it('does not unwrap an alert that has its own rule', () => {
      const { valid } = prepare(json({ ...good, event: { rule: 'inner', time: good.time, priority: 'Debug' } }));
      expect(valid[0]!.alert.rule).toBe('Some rule');
    });
  });

  it('treats a missing output_fields as empty', () => {
    const { valid } = prepare(json(good));
    expect(valid[0]!.alert).toMatchObject({
      ancestry: [],
      userName: null,
      containerId: null,
      tags: [],
      source: null,
      hostname: null,
    });
  });

  it('stops after stopAfterIssues issues, still telling whether any entry is not JSON', () => {
    const body = ['{}', ...Array(50).fill('7'), '{"rule": "cut'].join('\n');
    const { issues, stoppedEarly, hasSyntaxErrors } = prepareEntries(splitBody(body).entries, { stopAfterIssues: 10 });
    expect(stoppedEarly).toBe(true);
    expect(issues.length).toBeGreaterThanOrEqual(10);
    expect(issues.length).toBeLessThan(15);
    expect(hasSyntaxErrors).toBe(true);
    expect(prepareEntries(splitBody(body).entries).stoppedEarly).toBe(false);
  });

  describe('times ahead of the arrival (PERCH_MAX_CLOCK_SKEW)', () => {
    const nowMs = Date.parse('2026-04-06T12:00:00Z');
    const body = [
      json({ ...good, rule: 'future', time: '2262-01-01T00:00:00Z' }),
      json({ ...good, rule: 'ten minutes ahead', time: '2026-04-06T12:10:00Z' }),
      json({ ...good, rule: 'past', time: '2026-04-06T11:00:00Z' }),
    ].join('\n');
    const times = (maxClockSkewMs?: number) =>
      prepareEntries(splitBody(body).entries, { nowMs, maxClockSkewMs }).valid.map(({ alert }) => [
        alert.rule,
        alert.timeNs,
        alert.claimedTimeNs,
      ]);
    const ns = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;

    it('stores an alert further ahead than the skew at the arrival time, keeping its raw text', () => {
      expect(times(3_600_000)).toEqual([
        ['future', ns('2026-04-06T12:00:00Z'), ns('2262-01-01T00:00:00Z')],
        ['ten minutes ahead', ns('2026-04-06T12:10:00Z'), null],
        ['past', ns('2026-04-06T11:00:00Z'), null],
      ]);
      expect(prepareEntries(splitBody(body).entries, { nowMs }).valid[0]!.alert.raw).toBe(body.split('\n')[0]);
      expect(times(5 * 60_000)[1]).toEqual([
        'ten minutes ahead',
        ns('2026-04-06T12:00:00Z'),
        ns('2026-04-06T12:10:00Z'),
      ]);
    });

    it('takes the skew from PERCH_MAX_CLOCK_SKEW, one hour unless set', () => {
      expect(getConfig().maxClockSkewMs).toBe(
        process.env.PERCH_MAX_CLOCK_SKEW ? readConfig(process.env).maxClockSkewMs : 3_600_000,
      );
      expect(times()).toEqual(times(getConfig().maxClockSkewMs));
      expect(readConfig({}).maxClockSkewMs).toBe(3_600_000);
      expect(readConfig({ PERCH_MAX_CLOCK_SKEW: '5m' }).maxClockSkewMs).toBe(300_000);
      for (const bad of ['0s', 'soon', '-1h', '1']) {
        expect(() => readConfig({ PERCH_MAX_CLOCK_SKEW: bad }), bad).toThrow(ConfigError);
        expect(() => readConfig({ PERCH_MAX_CLOCK_SKEW: bad }), bad).toThrow('PERCH_MAX_CLOCK_SKEW');
      }
    });
  });
});
