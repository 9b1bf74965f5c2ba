import 'server-only';
// The read API's queries run on reader threads (lib/db/read-worker.ts) with their own connections,
// so no read holds ingest, /api/health or the live stream (docs/decisions/0001-reader-threads.md).
// Without the threads' code, for `:memory:` stores or with PERCH_READ_THREADS=0, on this one.
import type { Worker } from 'node:worker_threads';
import { DomainError } from '../errors';
import { getConfig } from '../config';
import { stringifyJson } from '../falco/json';
import { getDb } from './connection';
import { canStartWorker, startWorker, WORKER_READY } from '../worker-threads';
import type { ReadAnswer, ReadRequest } from './read-worker';
import { READS, type ReadArgs, type ReadName, type ReadResult } from './reads';

/** Reads waiting for a thread beyond which the read API answers 503 reads_overloaded. */
const MAX_QUEUED_READS = 256;

interface Pending {
  request: ReadRequest;
  resolve: (answer: ReadAnswer) => void;
}

class Reader {
  readonly worker: Worker;
  current: Pending | null = null;
  /** Its modules have loaded: a read sent now starts at once. */
  ready = false;

  constructor(
    onAnswer: (reader: Reader, answer: ReadAnswer) => void,
    onExit: (reader: Reader, error: Error) => void,
    onReady: () => void,
  ) {
    // A reader's objects live for one read: a small young generation keeps its idle memory low.
    this.worker = startWorker('read-worker', { resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    this.worker.unref();
    this.worker.on('message', (message: ReadAnswer | string) => {
      if (typeof message !== 'string') onAnswer(this, message);
      else if (message === WORKER_READY) {
        this.ready = true;
        onReady();
      }
    });
    this.worker.on('error', (error) => onExit(this, error));
    this.worker.on('exit', (code) => onExit(this, new Error(`a reader thread stopped (exit code ${code})`)));
  }
}

export class ReadPool {
  private readers: Reader[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;

  constructor(private readonly threads: number) {}

  /**
   * Starts a thread ahead of the first read. Each further one starts when reads wait for a thread
   * (up to `threads`): an idle reader costs memory (docs/decisions/0001).
   */
  warmUp(): void {
    if (this.readers.length === 0) this.spawn();
  }

  private spawn(): void {
    this.readers.push(new Reader(this.answered, this.exited, () => this.dispatch()));
  }

  /**
   * The answer of a read, as the thread gave it: the caller turns errors into its own DomainError
   * (see unwrap), since the pool may have been made by another bundle's copy of this module.
   */
  run(request: Omit<ReadRequest, 'id'>): Promise<ReadAnswer> {
    const id = this.nextId++;
    if (this.queue.length >= MAX_QUEUED_READS) {
      return Promise.resolve({
        id,
        domainError: {
          code: 'reads_overloaded',
          message: 'Too many reads are waiting for a reader thread; try again in a moment.',
          retryAfterSeconds: 1,
        },
      });
    }
    this.warmUp();
    return new Promise((resolve) => {
      this.queue.push({ request: { ...request, id }, resolve });
      this.dispatch();
      if (this.queue.length > 0 && this.readers.length < this.threads) this.spawn();
    });
  }

  /**
   * Hands waiting reads to idle threads that have loaded; before any has, to one still loading
   * (the read starts when it has), rather than wait for a thread that may never load.
   */
  private dispatch(): void {
    const anyReady = this.readers.some((reader) => reader.ready);
    for (const reader of this.readers) {
      if (this.queue.length === 0) return;
      if (reader.current !== null || (anyReady && !reader.ready)) continue;
      reader.current = this.queue.shift()!;
      reader.worker.postMessage(reader.current.request);
    }
  }

  private answered = (reader: Reader, message: ReadAnswer) => {
    const pending = reader.current;
    reader.current = null;
    if (pending?.request.id === message.id) pending.resolve(message);
    this.dispatch();
  };

  private exited = (reader: Reader, error: Error) => {
    if (!this.readers.includes(reader)) return;
    this.readers = this.readers.filter((r) => r !== reader);
    reader.current?.resolve({ id: reader.current.request.id, failure: { message: error.message, stack: error.stack } });
    reader.current = null;
    // Replaced for what is waiting; a thread that cannot start at all fails each read with its error.
    if (this.queue.length > 0) {
      this.spawn();
      this.dispatch();
    }
  };

  async close(): Promise<void> {
    const readers = this.readers;
    this.readers = [];
    await Promise.all(readers.map((reader) => reader.worker.terminate()));
  }
}

/** The answer's value, or its error thrown as this module's own DomainError (or Error). */
function unwrap(answer: ReadAnswer): unknown {
  if ('value' in answer) return answer.value;
  if ('domainError' in answer) {
    const { code, message, issues, retryAfterSeconds } = answer.domainError;
    throw new DomainError(code, message, issues, retryAfterSeconds);
  }
  const error = new Error(answer.failure.message);
  error.stack = answer.failure.stack ?? error.stack;
  throw error;
}

const holder = globalThis as typeof globalThis & { __perchReadPool?: ReadPool | null };

/** The server's reader threads, or null when reads run on the main thread. */
export function readPool(): ReadPool | null {
  if (holder.__perchReadPool === undefined) {
    const { dbFile, readThreads } = getConfig();
    const usable = readThreads > 0 && dbFile !== ':memory:' && canStartWorker('read-worker');
    holder.__perchReadPool = usable ? new ReadPool(readThreads) : null;
  }
  return holder.__perchReadPool;
}

function runOnMain<K extends ReadName>(name: K, args: ReadArgs<K>): unknown {
  const read = READS[name] as (db: ReturnType<typeof getDb>, ...args: unknown[]) => unknown;
  return read(getDb(), ...args);
}

/** A read's result. */
export async function read<K extends ReadName>(name: K, ...args: ReadArgs<K>): Promise<ReadResult<K>> {
  const pool = readPool();
  return (pool ? unwrap(await pool.run({ name, args, json: false })) : runOnMain(name, args)) as ReadResult<K>;
}

/** A read's result as JSON text (big integers exact), serialised on the thread that read it. */
export async function readJson<K extends ReadName>(name: K, ...args: ReadArgs<K>): Promise<string> {
  const pool = readPool();
  return pool ? (unwrap(await pool.run({ name, args, json: true })) as string) : stringifyJson(runOnMain(name, args));
}
