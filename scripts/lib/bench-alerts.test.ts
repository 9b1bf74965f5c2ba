import { describe, expect, it } from 'vitest';
import { prepareEntries } from '../../lib/ingest/prepare';
import { splitBody } from '../../lib/ingest/split-body';
import { benchAlerts, LONG_CMDLINE, withLongCommand, withUuid } from './bench-alerts';

const NOW = Date.UTC(2025, 4, 14, 10, 17, 33);
const OPTIONS = { alerts: 1_500, days: 2, nowMs: NOW };
const SLOW = 60_000;

const prepare = (lines: readonly string[]) => prepareEntries(lines.map((line) => splitBody(line).entries[0]!));

describe('bench alerts', () => {
  it(
    'gives exactly the number asked, valid for the ingest pipeline, the same every time',
    () => {
      const lines = [...benchAlerts(OPTIONS)];
      expect(lines).toHaveLength(OPTIONS.alerts);
      expect([...benchAlerts(OPTIONS)]).toEqual(lines);
      const { valid, issues } = prepare(lines);
      expect(issues).toEqual([]);
      expect(new Set(valid.map((v) => v.alert.dedupKey.toString('hex'))).size).toBe(lines.length);
      const sources = new Set(valid.map((v) => v.alert.source));
      for (const source of ['syscall', 'k8s_audit']) expect(sources).toContain(source);
      const earliest = valid.reduce((min, v) => (v.alert.timeNs < min ? v.alert.timeNs : min), valid[0]!.alert.timeNs);
      expect(Number(earliest / 1_000_000n)).toBeLessThan(NOW - 1.5 * 86_400_000);
    },
    SLOW,
  );

  it(
    'gives a few alerts a 4 KB command line, in the output text and the fields alike',
    () => {
      const lines = [...benchAlerts(OPTIONS)];
      const long = lines.filter((line) => line.length > LONG_CMDLINE);
      expect(long.length).toBeGreaterThanOrEqual(2);
      expect(long.length).toBeLessThan(10);
      for (const { alert } of prepare(long).valid) {
        const fields = JSON.parse(alert.raw) as { output: string; output_fields: Record<string, string> };
        const cmdline = fields.output_fields['proc.cmdline']!;
        expect(cmdline.length).toBeGreaterThan(3_800);
        expect(fields.output).toContain(`command=${cmdline}`);
        expect(fields.output.length).toBeGreaterThan(4_000);
        expect(alert.ancestry[0]?.cmdline).toBe(cmdline);
      }
    },
    SLOW,
  );

  it('leaves alerts without a command line alone, and a uuid makes a copy a new alert', () => {
    expect(withLongCommand('{"output":"x","rule":"r"}', 1)).toBeNull();
    const [line] = benchAlerts({ ...OPTIONS, alerts: 1 });
    const { valid } = prepare([withUuid(line!, 'a'), withUuid(line!, 'b')]);
    expect(valid.map((v) => v.alert.uuid)).toEqual(['a', 'b']);
    expect(valid[0]!.alert.dedupKey.equals(valid[1]!.alert.dedupKey)).toBe(false);
  });
});
