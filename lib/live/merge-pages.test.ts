import { describe, expect, it } from 'vitest';
import type { EventListResponse, EventSummary } from '../events/types';
import { insertIntoPages } from './merge-pages';

const alert = (id: number, second: number) =>
  ({ id, time: `2026-11-29T10:00:${String(second).padStart(2, '0')}.000000000Z`, rule: `r${id}` }) as EventSummary;
const page = (events: EventSummary[], nextCursor: string | null): EventListResponse => ({ events, nextCursor });
const ids = (pages: EventListResponse[]) => pages.map((p) => p.events.map((e) => e.id));

describe('insertIntoPages', () => {
  const loaded = [page([alert(9, 50), alert(8, 40)], 'c1'), page([alert(7, 30), alert(6, 20)], 'c2')];

  it('puts newer alerts on top of the first page, newest first', () => {
    expect(ids(insertIntoPages(loaded, [alert(10, 55), alert(11, 59)]))).toEqual([
      [11, 10, 9, 8],
      [7, 6],
    ]);
  });

  it('puts a late alert with an older time where a reload would show it', () => {
    expect(ids(insertIntoPages(loaded, [alert(12, 35)]))).toEqual([
      [9, 8],
      [12, 7, 6],
    ]);
  });

  it('leaves an alert older than everything loaded to the next page fetch, unless there is none', () => {
    expect(ids(insertIntoPages(loaded, [alert(13, 1)]))).toEqual([
      [9, 8],
      [7, 6],
    ]);
    const complete = [page([alert(9, 50)], null)];
    expect(ids(insertIntoPages(complete, [alert(13, 1)]))).toEqual([[9, 13]]);
  });

  it('never shows an alert twice and orders equal times by id', () => {
    expect(ids(insertIntoPages(loaded, [alert(9, 50), alert(14, 50)]))).toEqual([
      [14, 9, 8],
      [7, 6],
    ]);
  });

  it('does not change the pages it was given', () => {
    insertIntoPages(loaded, [alert(15, 58)]);
    expect(ids(loaded)).toEqual([
      [9, 8],
      [7, 6],
    ]);
  });
});
