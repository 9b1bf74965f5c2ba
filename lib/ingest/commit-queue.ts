// Group commit: alerts submitted during the same turn of the event loop are written in one
// transaction (one fsync), and each submitter is answered only after that commit.
import type { StoredAlert } from '../falco/alert';
import type { WriteResult } from '../db/event-writer';

interface Submission {
  alerts: readonly StoredAlert[];
  resolve: (results: WriteResult[]) => void;
  reject: (error: unknown) => void;
}

// Bounds one transaction so a flood of batches cannot stall the event loop for long.
const MAX_ALERTS_PER_COMMIT = 5_000;

export class CommitQueue {
  private pending: Submission[] = [];
  private scheduled = false;

  /** `grouped: false` commits every submission on its own (PERCH_GROUP_COMMIT=off, for measuring). */
  constructor(
    private readonly commit: (alerts: readonly StoredAlert[]) => WriteResult[],
    private readonly grouped = true,
  ) {}

  submit(alerts: readonly StoredAlert[]): Promise<WriteResult[]> {
    if (alerts.length === 0) return Promise.resolve([]);
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
