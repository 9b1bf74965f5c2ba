import { describe, expect, it } from 'vitest';
import { DEFAULT_FROM, requireRange, urlWithDefaultRange } from './default-range';
import { EventFilter, filterInput } from './event-filter';

describe('urlWithDefaultRange', () => {
  it('opens a view without a range on the last 24 hours', () => {
    expect(DEFAULT_FROM).toBe('24h');
    expect(urlWithDefaultRange('/events', {})).toBe('/events?from=24h');
  });

  it('keeps every other parameter, repeated ones included, encoded', () => {
    const url = urlWithDefaultRange('/events', {
      rule: ['Terminal shell in container', 'Write below /etc & co'],
      priority: 'Critical',
      q: 'a=b#c',
      hostname: undefined,
    });
    expect(url).toBe(
      '/events?from=24h&rule=Terminal+shell+in+container&rule=Write+below+%2Fetc+%26+co&priority=Critical&q=a%3Db%23c',
    );
    const params = new URL(url!, 'http://perch.test').searchParams;
    expect(EventFilter.parse(filterInput(params))).toEqual(
      EventFilter.parse({
        from: '24h',
        rule: ['Terminal shell in container', 'Write below /etc & co'],
        priority: ['Critical'],
        q: 'a=b#c',
      }),
    );
  });

  it('does not redirect when the URL names a range', () => {
    expect(urlWithDefaultRange('/events', { from: '7d' })).toBeNull();
    expect(urlWithDefaultRange('/events', { from: 'all' })).toBeNull();
    expect(urlWithDefaultRange('/events', { to: '2026-04-06T00:00:00Z' })).toBeNull();
    expect(urlWithDefaultRange('/events', { from: ['1h', '2h'], rule: 'x' })).toBeNull();
  });

  it('works for any view path', () => {
    expect(urlWithDefaultRange('/containers/host', { hostname: 'node-a' })).toBe(
      '/containers/host?from=24h&hostname=node-a',
    );
    expect(urlWithDefaultRange('/rules/Write%20below%20%2Fetc', {})).toBe('/rules/Write%20below%20%2Fetc?from=24h');
  });
});

describe('requireRange', () => {
  it('redirects a view without a range and lets one with a range through', async () => {
    const redirected = await requireRange('/rules', Promise.resolve({ rule: 'x' })).then(
      () => null,
      (error: unknown) => error,
    );
    expect(String((redirected as { digest?: string } | null)?.digest)).toContain('/rules?from=24h&rule=x');
    await expect(requireRange('/rules', Promise.resolve({ from: '7d' }))).resolves.toBeUndefined();
  });
});
