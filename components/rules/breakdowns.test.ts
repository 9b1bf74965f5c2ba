import { describe, expect, it } from 'vitest';
import { CHAIN_SEPARATOR as S, PID_SEPARATOR as P } from '@/lib/falco/ancestry';
import { buildProcessTree } from '@/lib/stats/process-tree';
import type { RuleRow, TopValue } from '@/lib/stats/types';
import { chainLabel, distinctChains, distinguishContainers } from './breakdowns';
import { sortRules } from './sort-rules';

const chain = (...parts: string[]) => parts.join(S);

describe('distinctChains', () => {
  it('ranks the chains alerts ended in, across containers, counting what each link selects', () => {
    const scopes = buildProcessTree([
      { containerId: 'c1', hostname: null, chain: chain('tmux', 'bash', 'cat'), count: 3, worstRank: 4 },
      { containerId: 'c2', hostname: null, chain: chain('tmux', 'bash', 'cat'), count: 2, worstRank: 2 },
      { containerId: 'c1', hostname: null, chain: chain('tmux', 'bash'), count: 1, worstRank: 5 },
      { containerId: 'c1', hostname: null, chain: chain('tmux', 'bash', 'vi'), count: 1, worstRank: 6 },
    ]);
    const chains = distinctChains(scopes);
    expect(chains.map((c) => [c.label, c.count, c.worstPriority, c.value])).toEqual([
      // tmux › bash has one alert of its own; its link (a prefix match) also selects the 6 below it.
      ['tmux › bash', 7, 'Critical', chain('tmux', 'bash')],
      ['tmux › bash › cat', 5, 'Critical', chain('tmux', 'bash', 'cat')],
      ['tmux › bash › vi', 1, 'Informational', chain('tmux', 'bash', 'vi')],
    ]);
  });

  it('tells chains with the same names apart by the pid of their last process', () => {
    const scopes = buildProcessTree([
      { containerId: 'c1', hostname: null, chain: chain('sh', `bash${P}10`), count: 1, worstRank: 4 },
      { containerId: 'c1', hostname: null, chain: chain('sh', `bash${P}11`), count: 2, worstRank: 3 },
      { containerId: 'host', hostname: 'h', chain: chain('sh', 'cat'), count: 1, worstRank: 5 },
    ]);
    expect(distinctChains(scopes).map((c) => [c.label, c.value, c.count])).toEqual([
      ['sh › bash (pid 11)', chain('sh', `bash${P}11`), 2],
      ['sh › bash (pid 10)', chain('sh', `bash${P}10`), 1],
      ['sh › cat', chain('sh', 'cat'), 1],
    ]);
  });

  it('keeps at most `limit` chains and reads unknown levels as unknown', () => {
    const rows = Array.from({ length: 12 }, (_, i) => ({
      containerId: 'c',
      hostname: null,
      chain: chain('?', `p${i}`),
      count: i + 1,
      worstRank: 4,
    }));
    const chains = distinctChains(buildProcessTree(rows), 3);
    expect(chains.map((c) => c.label)).toEqual(['unknown › p11', 'unknown › p10', 'unknown › p9']);
    expect(chainLabel(chain(`init${P}1`, 'sh'))).toBe('init › sh');
  });
});

describe('distinguishContainers', () => {
  it('adds the id only where names repeat', () => {
    const values: TopValue[] = [
      { value: 'aaa', label: 'kafka', count: 3, worstPriority: 'Notice' },
      { value: 'bbb', label: 'kafka', count: 2, worstPriority: 'Notice' },
      { value: 'ccc', label: 'cart', count: 1, worstPriority: 'Notice' },
    ];
    expect(distinguishContainers(values).map((v) => v.label)).toEqual(['kafka · aaa', 'kafka · bbb', 'cart']);
  });
});

describe('sortRules', () => {
  const row = (rule: string, count: number, worstPriority: RuleRow['worstPriority'], lastSeen: string): RuleRow => ({
    rule,
    count,
    worstPriority,
    lastSeen,
    firstSeen: lastSeen,
    containers: 1,
    hosts: 1,
    trend: [],
  });
  const rows = [
    row('b rule', 5, 'Warning', '2026-01-01T00:00:02.000000000Z'),
    row('A rule', 1, 'Critical', '2026-01-01T00:00:03.000000000Z'),
    row('c rule', 3, 'Critical', '2026-01-01T00:00:01.000000000Z'),
  ];
  const names = (sorted: RuleRow[]) => sorted.map((r) => r.rule);
  it('sorts each column in its natural direction first, and reverses on request', () => {
    expect(names(sortRules(rows, 'count'))).toEqual(['b rule', 'c rule', 'A rule']);
    expect(names(sortRules(rows, 'name'))).toEqual(['A rule', 'b rule', 'c rule']);
    expect(names(sortRules(rows, 'lastSeen'))).toEqual(['A rule', 'b rule', 'c rule']);
    expect(names(sortRules(rows, 'priority'))).toEqual(['c rule', 'A rule', 'b rule']);
    expect(names(sortRules(rows, 'count', 'asc'))).toEqual(['A rule', 'c rule', 'b rule']);
    expect(names(sortRules(rows, 'priority', 'asc'))).toEqual(['b rule', 'A rule', 'c rule']);
  });
});
