import { describe, expect, it } from 'vitest';
import { EventFilter, filterInput } from './event-filter';
import { EMPTY_FILTER, applyChange, containerHref, eventHref, filterHref, rangeOnly, ruleHref } from './href';

const filter = (input: Record<string, unknown>) => EventFilter.parse(input);
/** The filter a page would read back from a link. */
const readBack = (href: string) => EventFilter.parse(filterInput(new URL(href, 'http://perch.test').searchParams));
const pathOf = (href: string) => href.split('?')[0]!;

describe('filterHref', () => {
  it('is the bare path for an empty filter', () => {
    expect(filterHref('/events', EMPTY_FILTER)).toBe('/events');
  });

  it('writes the current filter into the query', () => {
    expect(filterHref('/events', filter({ from: '24h', rule: ['Terminal shell in container'] }))).toBe(
      '/events?from=24h&rule=Terminal+shell+in+container',
    );
  });

  it('adds a value to a list filter', () => {
    const base = filter({ from: '24h', rule: ['a'] });
    expect(filterHref('/events', base, { add: 'rule', value: 'b' })).toBe('/events?from=24h&rule=a&rule=b');
    expect(filterHref('/events', base, { add: 'container', value: 'host' })).toBe(
      '/events?from=24h&rule=a&container=host',
    );
  });

  it('never adds a value twice', () => {
    const base = filter({ rule: ['a'] });
    expect(filterHref('/events', base, { add: 'rule', value: 'a' })).toBe('/events?rule=a');
    expect(filterHref('/events', base, { add: 'rule', value: 'b' }, { add: 'rule', value: 'b' })).toBe(
      '/events?rule=a&rule=b',
    );
    expect(readBack(filterHref('/events', base, { add: 'rule', value: 'a' })).rule).toEqual(['a']);
  });

  it('removes one value and leaves the others', () => {
    const base = filter({ from: '1h', hostname: ['node-a', 'node-b'], priority: ['Critical'] });
    expect(filterHref('/events', base, { remove: 'hostname', value: 'node-a' })).toBe(
      '/events?from=1h&priority=Critical&hostname=node-b',
    );
    expect(filterHref('/events', base, { remove: 'hostname', value: 'node-c' })).toBe(filterHref('/events', base));
    expect(
      filterHref(
        '/events',
        base,
        { remove: 'priority', value: 'Critical' },
        { remove: 'hostname', value: 'node-a' },
        { remove: 'hostname', value: 'node-b' },
      ),
    ).toBe('/events?from=1h');
  });

  it('sets fields, replacing what was there', () => {
    const base = filter({ from: '24h', chain: ['a\u001fb'], q: 'shadow' });
    expect(filterHref('/events', base, { set: { from: '7d', to: 'now' } })).toBe(
      '/events?from=7d&to=now&chain=a%1Fb&q=shadow',
    );
    expect(filterHref('/events', base, { set: { chain: [], q: undefined } })).toBe('/events?from=24h');
    expect(filterHref('/events', base, { set: { internal: 'only' } })).toBe(
      '/events?from=24h&chain=a%1Fb&q=shadow&internal=only',
    );
  });

  it('applies changes in order', () => {
    const base = filter({});
    expect(
      filterHref('/events', base, { add: 'tag', value: 'x' }, { set: { tag: ['y'] } }, { add: 'tag', value: 'z' }),
    ).toBe('/events?tag=y&tag=z');
  });

  it('does not change the filter it is given', () => {
    const base = filter({ rule: ['a'] });
    const copy = structuredClone(base);
    filterHref('/events', base, { add: 'rule', value: 'b' }, { remove: 'rule', value: 'a' }, { set: { from: '1h' } });
    applyChange(base, { add: 'rule', value: 'c' });
    expect(base).toEqual(copy);
  });

  it('encodes values so the page reads back the same filter', () => {
    const base = filter({
      from: '2026-04-06T19:32:22.162939040Z',
      rule: ['Write below /etc (custom) & more=yes'],
      proc: ['kworker/0:1', 'a+b'],
      q: 'nc -e /bin/sh #',
      container: ['(none)'],
    });
    const href = filterHref('/events', base, { add: 'tag', value: 'T1059.004' });
    expect(readBack(href)).toEqual({ ...base, tag: ['T1059.004'] });
  });
});

describe('rangeOnly', () => {
  it('keeps the time range and drops every other condition', () => {
    const full = filter({
      from: '7d',
      to: 'now',
      rule: ['a'],
      priority: ['Critical'],
      minPriority: 'Warning',
      q: 'x',
      internal: 'only',
      chain: ['c'],
    });
    expect(rangeOnly(full)).toEqual(filter({ from: '7d', to: 'now' }));
    expect(rangeOnly(filter({ rule: ['a'] }))).toEqual(EMPTY_FILTER);
  });
});

describe('links to views', () => {
  const current = filter({ from: '24h', rule: ['Other rule'], hostname: ['node-z'], priority: ['Warning'] });

  it('eventHref points at the detail page', () => {
    expect(eventHref(42)).toBe('/events/42');
  });

  it('ruleHref encodes names with spaces and slashes into one path segment and carries only the range', () => {
    const rule = 'Write below /etc (custom)';
    const href = ruleHref(rule, current);
    expect(href).toBe('/rules/Write%20below%20%2Fetc%20(custom)?from=24h');
    const segments = pathOf(href).split('/');
    expect(segments).toHaveLength(3);
    expect(decodeURIComponent(segments[2]!)).toBe(rule);
    expect(ruleHref('Terminal shell in container', EMPTY_FILTER)).toBe('/rules/Terminal%20shell%20in%20container');
    const tricky = 'a?b#c%d';
    expect(decodeURIComponent(pathOf(ruleHref(tricky, EMPTY_FILTER)).slice('/rules/'.length))).toBe(tricky);
  });

  it('containerHref for host processes names the host', () => {
    const href = containerHref('host', 'node-a', current);
    expect(href).toBe('/containers/host?from=24h&hostname=node-a');
    expect(readBack(href)).toEqual(filter({ from: '24h', hostname: ['node-a'] }));
  });

  it('containerHref for a container carries only the range, whatever its host', () => {
    expect(containerHref('920b85e0cae2', 'node-a', current)).toBe('/containers/920b85e0cae2?from=24h');
    expect(containerHref('920b85e0cae2', null, current)).toBe('/containers/920b85e0cae2?from=24h');
  });

  it('containerHref for host processes without a known host and for no container', () => {
    expect(containerHref('host', null, current)).toBe('/containers/host?from=24h');
    expect(containerHref('host', undefined, current)).toBe('/containers/host?from=24h');
    const none = containerHref('(none)', null, current);
    expect(decodeURIComponent(pathOf(none))).toBe('/containers/(none)');
  });
});
