// The thread of lib/ingest/prepare-worker.ts, seen from the main thread: batches of lines go in,
// prepared alerts come back in the order sent.
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { canStartWorker, startWorker, WORKER_READY } from '../worker-threads';
import { claimBack, newClaims } from './chunk-claims';
import type { PrepareLinesOptions, PreparedLines } from './prepare-lines';
import type { PrepareChunksRequest, PrepareLinesRequest } from './prepare-worker';
import type { NumberedLines } from './split-body';

/** Whether the worker's code is at hand (built, or its sources outside the build). */
const canPrepareInWorker = () => canStartWorker('prepare-worker');

const holder = globalThis as typeof globalThis & { __perchLinePreparer?: LinePreparer | null };

/** The server's one ingest worker, or null where its code is not at hand. */
export function sharedPreparer(): LinePreparer | null {
  if (holder.__perchLinePreparer === undefined) {
    holder.__perchLinePreparer = canPrepareInWorker() ? new LinePreparer({ unref: true }) : null;
  }
  return holder.__perchLinePreparer;
}

const YOUNG_GENERATION_MB = 4;

export class LinePreparer {
  private worker: Worker | null = null;
  private isReady = false;
  private readonly waiting: { resolve: (batch: PreparedLines) => void; reject: (error: unknown) => void }[] = [];

  /** `unref`: the thread does not keep the process alive (a server's, which ends on a signal). */
  constructor(private readonly options: { unref?: boolean } = {}) {}

  /** Batches sent and not yet answered. */
  get backlog(): number {
    return this.waiting.length;
  }

  /** The thread has loaded its modules: a batch sent now is answered without a start-up wait. */
  get ready(): boolean {
    return this.isReady;
  }

  /** Starts the thread ahead of the first batch (it starts with the first batch otherwise). */
  warmUp(): void {
    this.worker ??= this.start();
  }

  private start(): Worker {
    // Each deflate's copy of the payload dictionary lives outside the heap until the scavenge that
    // frees its handle: a small young generation frees them sooner (decision 0031).
    const worker = startWorker('prepare-worker', { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    if (this.options.unref) worker.unref();
    const failAll = (error: unknown) => {
      if (this.worker === worker) {
        this.worker = null; // the next batch starts a new thread
        this.isReady = false;
      }
      for (const waiting of this.waiting.splice(0)) waiting.reject(error);
    };
    worker.on('message', (message: PreparedLines | typeof WORKER_READY) => {
      if (message === WORKER_READY) this.isReady = this.worker === worker;
      else this.waiting.shift()?.resolve(message);
    });
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`the ingest worker thread stopped (exit code ${code})`)));
    return worker;
  }

  /**
   * Sends every chunk at once (at most MAX_CLAIMED_CHUNKS); the thread prepares them in order while
   * this one takes each answer as it comes (PreparedChunks), without returning to the event loop.
   */
  prepareChunks(chunks: NumberedLines[], options: PrepareLinesOptions = {}): PreparedChunks {
    this.worker ??= this.start();
    const { port1, port2 } = new MessageChannel();
    const answered = new Int32Array(new SharedArrayBuffer(4));
    const claims = newClaims(chunks.length);
    this.worker.postMessage({ chunks, options, port: port2, answered, claims } satisfies PrepareChunksRequest, [port2]);
    return new PreparedChunks(port1, answered, claims);
  }

  prepare(lines: NumberedLines, options: PrepareLinesOptions = {}): Promise<PreparedLines> {
    this.worker ??= this.start();
    const worker = this.worker;
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      worker.postMessage({ lines, options } satisfies PrepareLinesRequest);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.isReady = false;
    await worker?.terminate();
  }
}

// Longer than any chunk takes on a loaded machine: the thread has died (its 'exit' event cannot
// reach a thread that is waiting here) and the caller prepares the rest itself.
const CHUNK_TIMEOUT_MS = 5_000;

/**
 * The worker's answers to prepareChunks, taken in order by a thread that may not yield. The worker
 * answers the chunks it claimed, in order; the chunks stolen from the back are the taker's.
 */
export class PreparedChunks {
  private taken = 0;

  constructor(
    private readonly port: MessagePort,
    private readonly answered: Int32Array,
    private readonly claims: Uint32Array,
  ) {}

  /** The worker's next answer if it is in, without waiting. */
  poll(): PreparedLines | undefined {
    const received = receiveMessageOnPort(this.port);
    if (received === undefined) return undefined;
    this.taken++;
    return received.message as PreparedLines;
  }

  /** The index of the last chunk the worker has not claimed, now the caller's to prepare; null when none is left. */
  steal(): number | null {
    return claimBack(this.claims);
  }

  /**
   * The worker's next answer, waiting for it (this thread sleeps; the event loop does not run).
   * Throws when the thread has not answered in time.
   */
  next(): PreparedLines {
    const deadline = performance.now() + CHUNK_TIMEOUT_MS;
    for (;;) {
      const received = this.poll();
      if (received !== undefined) return received;
      const left = deadline - performance.now();
      if (left <= 0) {
        this.close();
        throw new Error(`the ingest worker thread did not answer within ${CHUNK_TIMEOUT_MS} ms`);
      }
      // Returns at once when the count has already moved past what was taken.
      Atomics.wait(this.answered, 0, this.taken, left);
    }
  }

  /** Stops taking answers: the worker claims no more chunks, and the answers of those it has are dropped. */
  close(): void {
    while (claimBack(this.claims) !== null);
    this.port.close();
  }
}
