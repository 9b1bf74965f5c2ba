import { describe, expect, it } from 'vitest';
import { parseKioskConfig } from './kiosk-config';

const parse = (query: string) => parseKioskConfig(new URLSearchParams(query));

describe('parseKioskConfig', () => {
  it('defaults to the last 24 hours, a Warning-and-above feed and no rotation', () => {
    const result = parse('');
    expect(result).toMatchObject({
      ok: true,
      config: {
        query: 'from=24h',
        feedPriority: 'Warning',
        feedQuery: 'from=24h&minPriority=Warning',
        rotateSeconds: null,
      },
    });
  });

  it('takes range, minPriority, rotate and any filter of the API from the URL', () => {
    const result = parse('range=1h&minPriority=crit&namespace=prod&source=syscall&rotate=20');
    expect(result).toMatchObject({
      ok: true,
      config: {
        query: 'from=1h&source=syscall&namespace=prod',
        feedPriority: 'Critical',
        feedQuery: 'from=1h&source=syscall&namespace=prod&minPriority=Critical',
        rotateSeconds: 20,
      },
    });
  });

  it('lets an explicit from/to win over range', () => {
    expect(parse('range=1h&from=7d')).toMatchObject({ ok: true, config: { query: 'from=7d' } });
  });

  it('names every setting it cannot use', () => {
    const result = parse('minPriority=Loud&rotate=2&range=yesterday');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.join('\n')).toMatch(/minPriority: "Loud"/);
    expect(result.problems.join('\n')).toMatch(/rotate: "2"/);
    expect(result.problems.join('\n')).toMatch(/^from:/m);
  });
});
