import { describe, expect, it } from 'vitest';
import {
  chainText,
  keepViewParams,
  placeFields,
  readGroupsView,
  relativeTime,
  statusLine,
  viewHref,
} from './group-display';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('readGroupsView and viewHref', () => {
  it('reads the defaults from an address without view settings: the Open tab', () => {
    expect(readGroupsView(new URLSearchParams('from=24h'), { status: [] })).toEqual({
      groupBy: 'rule,image,chain',
      sort: 'priority',
      tab: 'open',
      statuses: ['open'],
    });
  });

  it('names one tab per status, All for every status, none for another set', () => {
    const view = (statuses: string[]) => readGroupsView(new URLSearchParams(), { status: statuses });
    expect(view(['benign']).tab).toBe('benign');
    expect(view(['open', 'acknowledged', 'resolved', 'benign']).tab).toBe('all');
    expect(view(['open', 'benign'])).toMatchObject({ tab: null, statuses: ['open', 'benign'] });
  });

  it('falls back to the defaults for unknown groupings and sorts', () => {
    const view = readGroupsView(new URLSearchParams('groupBy=image&sort=name'), { status: [] });
    expect(view).toMatchObject({ groupBy: 'rule,image,chain', sort: 'priority' });
  });

  it('changes one setting, keeps the rest, drops a cursor and leaves defaults out', () => {
    const params = new URLSearchParams('from=24h&rule=a&status=resolved&cursor=abc&sort=count');
    expect(viewHref('/groups', params, { tab: 'open' })).toBe('/groups?from=24h&rule=a&sort=count');
    expect(viewHref('/groups', params, { tab: 'all' })).toBe(
      '/groups?from=24h&rule=a&sort=count&status=open&status=acknowledged&status=resolved&status=benign',
    );
    expect(viewHref('/groups', params, { groupBy: 'rule' })).toBe(
      '/groups?from=24h&rule=a&status=resolved&sort=count&groupBy=rule',
    );
    expect(viewHref('/groups', params, { sort: 'priority' })).toBe('/groups?from=24h&rule=a&status=resolved');
  });

  it('keeps groupBy and sort on a link the filter bar made', () => {
    expect(keepViewParams('/groups?from=1h', { groupBy: 'rule,namespace', sort: 'lastSeen' })).toBe(
      '/groups?from=1h&groupBy=rule%2Cnamespace&sort=lastSeen',
    );
    expect(keepViewParams('/groups', { groupBy: 'rule,image,chain', sort: 'priority' })).toBe('/groups');
  });
});

describe('how a group reads', () => {
  it('writes a chain oldest first and shortens a long one from the front', () => {
    expect(chainText(['tmux', 'bash', 'cat'])).toBe('tmux › bash › cat');
    expect(chainText([])).toBe('no known processes');
    const long = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8'];
    expect(chainText(long)).toBe('… › p4 › p5 › p6 › p7 › p8');
    expect(chainText(long, true)).toBe(long.join(' › '));
  });

  it('names the place and says "no value" in the dimension words', () => {
    expect(placeFields({ rule: 'r', image: 'nginx' })).toEqual([{ label: 'image', value: 'nginx', none: false }]);
    expect(placeFields({ rule: 'r', host: null, user: null })).toEqual([
      { label: 'host', value: 'unknown host', none: true },
      { label: 'user', value: 'no user', none: true },
    ]);
    expect(placeFields({ rule: 'r' })).toEqual([]);
  });

  it('tells times relative to now', () => {
    expect(relativeTime('2026-03-01T11:59:30.000000000Z', NOW)).toBe('just now');
    expect(relativeTime('2026-03-01T12:00:20.000000000Z', NOW)).toBe('just now');
    expect(relativeTime('2026-03-01T11:55:00.000000000Z', NOW)).toBe('5 min ago');
    expect(relativeTime('2026-03-01T09:00:00Z', NOW)).toBe('3 h ago');
    expect(relativeTime('2026-02-20T12:00:00Z', NOW)).toBe('9 d ago');
    expect(relativeTime('2026-03-01T12:10:00Z', NOW)).toBe('in 10 min');
  });

  it('puts what happened since a status under it', () => {
    const setAt = '2026-03-01T11:50:00.000000000Z';
    expect(statusLine({ status: 'open' }, NOW)).toBeNull();
    expect(statusLine({ status: 'open', setAt, setBy: 'ann', newSince: 3, reopened: true }, NOW)).toEqual({
      text: 'reopened: 3 new since 10 min ago',
      alarm: true,
    });
    expect(statusLine({ status: 'acknowledged', setAt, setBy: 'ann', newSince: 2 }, NOW)?.text).toBe(
      '2 new since 10 min ago',
    );
    expect(statusLine({ status: 'benign', setAt, setBy: 'ann', newSince: 0 }, NOW)?.text).toBe('by ann, 10 min ago');
    expect(statusLine({ status: 'resolved', setAt, setBy: 'anonymous', newSince: 0 }, NOW)?.text).toBe(
      'by anonymous, 10 min ago',
    );
  });
});
