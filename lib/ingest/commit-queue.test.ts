import { describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../db/connection';
import { writeAlerts, type WriteResult } from '../db/event-writer';
import type { StoredAlert } from '../falco/alert';
import { storedAlert } from '../testing/alerts';
import { CommitQueue, QueueFullError } from './commit-queue';

function alertNamed(rule: string): StoredAlert {
  return storedAlert({ time: '2023-05-25T13:44:05.478445995Z', rule, priority: 'Warning' });
}
const alerts = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => alertNamed(`${prefix}${i}`));

/** A commit that numbers alerts in the order it sees them and records each call's rules. */
function fakeCommit() {
  const calls: string[][] = [];
  let nextId = 1;
  const commit = vi.fn((batch: readonly StoredAlert[]): WriteResult[] => {
    calls.push(batch.map((a) => a.rule));
    return batch.map(() => ({ id: nextId++, duplicate: false }));
  });
  return { commit, calls };
}

describe('CommitQueue', () => {
  it('commits submissions made in the same tick in one call, each submitter getting its own slice', async () => {
    const { commit, calls } = fakeCommit();
    const queue = new CommitQueue(commit);
    const [a, b, c] = await Promise.all([
      queue.submit(alerts('a', 2)),
      queue.submit(alerts('b', 1)),
      queue.submit(alerts('c', 3)),
    ]);
    expect(commit).toHaveBeenCalledTimes(1);
    expect(calls).toEqual([['a0', 'a1', 'b0', 'c0', 'c1', 'c2']]);
    expect(a).toEqual([
      { id: 1, duplicate: false },
      { id: 2, duplicate: false },
    ]);
    expect(b).toEqual([{ id: 3, duplicate: false }]);
    expect(c!.map((r) => r.id)).toEqual([4, 5, 6]);
  });

  it('does not commit before the current tick ends', async () => {
    const { commit } = fakeCommit();
    const queue = new CommitQueue(commit);
    const pending = queue.submit(alerts('a', 1));
    await Promise.resolve();
    expect(commit).not.toHaveBeenCalled();
    await pending;
    expect(commit).toHaveBeenCalledTimes(1);
  });

  it('commits submissions from different ticks separately', async () => {
    const { commit, calls } = fakeCommit();
    const queue = new CommitQueue(commit);
    const first = await queue.submit(alerts('a', 1));
    const second = await queue.submit(alerts('b', 2));
    expect(calls).toEqual([['a0'], ['b0', 'b1']]);
    expect(first.map((r) => r.id)).toEqual([1]);
    expect(second.map((r) => r.id)).toEqual([2, 3]);
  });

  it('after a commit shared by several senders, waits briefly for the rest instead of committing a lone early one', async () => {
    const { commit, calls } = fakeCommit();
    const queue = new CommitQueue(commit);
    await Promise.all([queue.submit(alerts('a', 1)), queue.submit(alerts('b', 1))]);
    // c arrives alone; d arrives just after the point where c alone would have been committed.
    const c = queue.submit(alerts('c', 1));
    const d = new Promise<WriteResult[]>((resolve) => setImmediate(() => resolve(queue.submit(alerts('d', 1)))));
    expect((await Promise.all([c, d])).map((r) => r[0]!.id)).toEqual([3, 4]);
    expect(calls).toEqual([
      ['a0', 'b0'],
      ['c0', 'd0'],
    ]);
  });

  it('a single sender never waits: its commit happens in the same turn as before', async () => {
    const { commit, calls } = fakeCommit();
    const queue = new CommitQueue(commit);
    await queue.submit(alerts('a', 1));
    const b = queue.submit(alerts('b', 1));
    const seen = await new Promise<number>((resolve) => setImmediate(() => resolve(calls.length)));
    expect(seen).toBe(2);
    await b;
  });

  it('answers an empty submission at once without committing', async () => {
    const { commit } = fakeCommit();
    await expect(new CommitQueue(commit).submit([])).resolves.toEqual([]);
    expect(commit).not.toHaveBeenCalled();
  });

  it('rejects every submitter of a group whose commit throws, and recovers for the next group', async () => {
    let fail = true;
    const commit = vi.fn((batch: readonly StoredAlert[]): WriteResult[] => {
      if (fail) throw new Error('disk full');
      return batch.map((_, i) => ({ id: i + 1, duplicate: false }));
    });
    const queue = new CommitQueue(commit);
    const results = await Promise.allSettled([queue.submit(alerts('a', 1)), queue.submit(alerts('b', 2))]);
    expect(commit).toHaveBeenCalledTimes(1);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    for (const r of results) expect(r.status === 'rejected' && (r.reason as Error).message).toBe('disk full');

    fail = false;
    await expect(queue.submit(alerts('c', 1))).resolves.toEqual([{ id: 1, duplicate: false }]);
  });

  it('bounds one commit at 1,000 alerts but never splits a submission', async () => {
    const { commit, calls } = fakeCommit();
    const queue = new CommitQueue(commit);
    const [a, b] = await Promise.all([queue.submit(alerts('a', 600)), queue.submit(alerts('b', 600))]);
    expect(calls.map((c) => c.length)).toEqual([600, 600]);
    expect(a).toHaveLength(600);
    expect(b![0]!.id).toBe(601);

    calls.length = 0;
    await queue.submit(alerts('c', 1500));
    expect(calls.map((c) => c.length)).toEqual([1500]);
  });

  it('refuses at once what would pass maxPending, and takes alerts again once the queue drains', async () => {
    const { commit, calls } = fakeCommit();
    const queue = new CommitQueue(commit, { maxPending: 5 });
    const first = queue.submit(alerts('a', 3));
    expect(queue.pendingAlerts).toBe(3);
    expect(queue.full).toBe(false);
    await expect(queue.submit(alerts('b', 3))).rejects.toBeInstanceOf(QueueFullError);
    const second = queue.submit(alerts('c', 2));
    expect(queue.full).toBe(true);
    await expect(queue.submit(alerts('d', 1))).rejects.toBeInstanceOf(QueueFullError);

    await Promise.all([first, second]);
    expect(calls).toEqual([['a0', 'a1', 'a2', 'c0', 'c1']]);
    expect(queue.pendingAlerts).toBe(0);
    await expect(queue.submit(alerts('e', 5))).resolves.toHaveLength(5);
  });

  it('counts a failed commit out of the queue too', async () => {
    const queue = new CommitQueue(
      () => {
        throw new Error('disk full');
      },
      { maxPending: 2 },
    );
    await expect(queue.submit(alerts('a', 2))).rejects.toThrow('disk full');
    expect(queue.pendingAlerts).toBe(0);
  });

  it('commits each submission on its own when not grouped', async () => {
    const { commit, calls } = fakeCommit();
    const queue = new CommitQueue(commit, { grouped: false });
    await Promise.all([queue.submit(alerts('a', 1)), queue.submit(alerts('b', 1))]);
    expect(calls).toEqual([['a0'], ['b0']]);
  });

  it('commits to a real store, reporting duplicates across submitters of one group', async () => {
    const db = openDatabase(':memory:');
    const queue = new CommitQueue((batch) => writeAlerts(db, batch));
    const [x] = alerts('x', 1);
    const [first, second] = await Promise.all([queue.submit([x!, alertNamed('y')]), queue.submit([x!])]);
    expect(first).toEqual([
      { id: 1, duplicate: false },
      { id: 2, duplicate: false },
    ]);
    expect(second).toEqual([{ id: 1, duplicate: true }]);
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 2 });
    db.close();
  });
});
