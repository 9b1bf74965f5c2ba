// Group commit: alerts submitted during the same turn of the event loop are written in one
// transaction (one fsync), and each submitter is answered only after that commit. The queue is
// bounded: alerts that arrive faster than they can be committed are refused, not buffered.
import type { WritableAlert, WriteResult } from '../db/event-writer';

interface Submission {
  alerts: readonly WritableAlert[];
  resolve: (results: WriteResult[]) => void;
  reject: (error: unknown) => void;
}

// Bounds one transaction so a flood of batches cannot stall the event loop (and every read) for
// long, while the fsync is still shared by enough alerts to cost next to nothing (decision 0014).
const MAX_ALERTS_PER_COMMIT = 1_000;

// After a commit shared by several senders, a flush that finds fewer waiting waits this long, once,
// so a lone early request does not take an fsync for itself while the rest queue behind it. A
// single sender never waits (decision 0014).
const LINGER_MS = 1;

/** The queue already holds as many alerts as it may: the submission was not taken. */
export class QueueFullError extends Error {
  override name = 'QueueFullError';
}

// The queue lives on globalThis and may have been made by another bundle's copy of this module
// (Next's routes, or the node:http ingest of lib/ingest/node-ingest.ts), whose class is not ours.
export const isQueueFull = (error: unknown): boolean => error instanceof Error && error.name === 'QueueFullError';

export interface CommitQueueOptions {
  /** false commits every submission on its own (PERCH_GROUP_COMMIT=off, for measuring). */
  grouped?: boolean;
  /** How many alerts may wait for their commit at once (PERCH_MAX_PENDING). */
  maxPending?: number;
}

export class CommitQueue {
  private pending: Submission[] = [];
  private pendingCount = 0;
  private scheduled = false;
  private lingering = false;
  /** Submissions in the last commit: more than one means concurrent senders. */
  private lastGroupSubmissions = 0;
  private readonly grouped: boolean;
  readonly maxPending: number;

  constructor(
    private readonly commit: (alerts: readonly WritableAlert[]) => WriteResult[],
    { grouped = true, maxPending = Number.POSITIVE_INFINITY }: CommitQueueOptions = {},
  ) {
    this.grouped = grouped;
    this.maxPending = maxPending;
  }

  /** Alerts submitted and not yet committed. */
  get pendingAlerts(): number {
    return this.pendingCount;
  }

  /** No submission can be taken now: callers refuse before doing any work for it. */
  get full(): boolean {
    return this.pendingCount >= this.maxPending;
  }

  /** Resolves once the alerts are committed; rejects with QueueFullError when they do not fit. */
  submit(alerts: readonly WritableAlert[]): Promise<WriteResult[]> {
    if (alerts.length === 0) return Promise.resolve([]);
    // Callers keep each submission within maxPending, or it could never be taken.
    if (this.pendingCount + alerts.length > this.maxPending) {
      return Promise.reject(
        new QueueFullError(`${this.pendingCount} alerts are waiting for their commit (limit ${this.maxPending})`),
      );
    }
    this.pendingCount += alerts.length;
    return new Promise((resolve, reject) => {
      this.pending.push({ alerts, resolve, reject });
      this.schedule();
    });
  }

  private schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush() {
    if (
      this.grouped &&
      !this.lingering &&
      this.pending.length < this.lastGroupSubmissions &&
      this.pendingCount < MAX_ALERTS_PER_COMMIT
    ) {
      this.lingering = true;
      setTimeout(() => this.flush(), LINGER_MS);
      return;
    }
    this.lingering = false;
    this.scheduled = false;
    const group: Submission[] = [];
    let size = 0;
    // A single submission larger than the bound is still committed whole (a batch is all-or-nothing).
    while (
      this.pending.length > 0 &&
      (group.length === 0 || (this.grouped && size + this.pending[0]!.alerts.length <= MAX_ALERTS_PER_COMMIT))
    ) {
      const next = this.pending.shift()!;
      group.push(next);
      size += next.alerts.length;
    }
    this.pendingCount -= size;
    this.lastGroupSubmissions = group.length;
    if (this.pending.length > 0) this.schedule();

    let results: WriteResult[];
    try {
      results = this.commit(group.flatMap((submission) => submission.alerts));
    } catch (error) {
      for (const submission of group) submission.reject(error);
      return;
    }
    let offset = 0;
    for (const submission of group) {
      submission.resolve(results.slice(offset, offset + submission.alerts.length));
      offset += submission.alerts.length;
    }
  }
}
