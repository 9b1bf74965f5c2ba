// Runs an async job on request, never two at once and starts at least `gapMs` apart: any number of
// requests during a run or a wait becomes one more run. The first request after a quiet spell runs at once.
export class Coalescer {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private again = false;
  private lastStart = -Infinity;
  private disposed = false;

  constructor(
    private readonly run: () => Promise<void>,
    private readonly gapMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  request(): void {
    if (this.disposed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => this.start(), Math.max(0, this.lastStart + this.gapMs - this.now()));
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private start(): void {
    this.timer = undefined;
    if (this.disposed) return;
    this.running = true;
    this.lastStart = this.now();
    this.run()
      .catch((error: unknown) => console.error('[perch] live refresh failed:', error))
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.request();
        }
      });
  }
}
