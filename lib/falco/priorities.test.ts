import { describe, expect, it } from 'vitest';
import { findPriority, PRIORITIES, priorityByRank, URGENT_RANK } from './priorities';

describe('PRIORITIES', () => {
  it('lists Falco priorities most severe first with ranks 0..7', () => {
    expect(PRIORITIES.map((p) => p.name)).toEqual([
      'Emergency',
      'Alert',
      'Critical',
      'Error',
      'Warning',
      'Notice',
      'Informational',
      'Debug',
    ]);
    expect(PRIORITIES.map((p) => p.rank)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('uses CSS variables for colours, never hex literals', () => {
    for (const p of PRIORITIES) expect(p.color).toMatch(/^var\(--priority-[a-z]+\)$/);
  });

  it('pages on Critical and above', () => {
    expect(PRIORITIES[URGENT_RANK].name).toBe('Critical');
  });
});

describe('findPriority', () => {
  it('accepts any case and surrounding spaces', () => {
    for (const text of ['Warning', 'warning', 'WARNING', 'wArNiNg', ' Warning '])
      expect(findPriority(text)?.name, text).toBe('Warning');
    for (const p of PRIORITIES) expect(findPriority(p.name.toUpperCase())).toBe(p);
  });

  it('accepts the short spellings Falco accepts', () => {
    expect(findPriority('info')?.name).toBe('Informational');
    expect(findPriority('Info')?.name).toBe('Informational');
    expect(findPriority('warn')?.name).toBe('Warning');
    expect(findPriority('err')?.name).toBe('Error');
    expect(findPriority('crit')?.name).toBe('Critical');
    expect(findPriority('emerg')?.name).toBe('Emergency');
  });

  it('returns undefined for anything else', () => {
    for (const text of ['', 'loud', 'Informationa', 'critical!', '4', 'Warning Notice', 'EMERG ENCY']) {
      expect(findPriority(text), text).toBeUndefined();
    }
  });
});

describe('priorityByRank', () => {
  it('maps ranks to priorities and clamps out-of-range ranks', () => {
    expect(priorityByRank(0).name).toBe('Emergency');
    expect(priorityByRank(4).name).toBe('Warning');
    expect(priorityByRank(7).name).toBe('Debug');
    expect(priorityByRank(-3).name).toBe('Emergency');
    expect(priorityByRank(12).name).toBe('Debug');
    expect(priorityByRank(4.9).name).toBe('Warning');
  });
});
