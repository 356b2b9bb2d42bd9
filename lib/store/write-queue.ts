import { TooManyRequestsError } from '@/lib/http/errors';

/**
 * The single writer's queue. Requests hand in batches and wait; the writer
 * takes everything waiting (up to `maxRowsPerFlush`) and writes it in one
 * transaction, then settles every waiting promise with that transaction's
 * outcome. Grouping concurrent requests is what makes the store fast (one
 * commit per group, not per request) while keeping "resolved = durable".
 *
 * The queue is bounded in rows: a batch that would overflow it is refused at
 * once with QueueFullError (429 + Retry-After, from the OTLP receiver and the
 * APIs alike: it is a TooManyRequestsError), so memory stays bounded under any
 * load and nothing that was accepted is dropped.
 * Maintenance tasks (compaction, retention) run between flushes, never
 * concurrently with a write.
 */
export class QueueFullError extends TooManyRequestsError {
  override name = 'QueueFullError';
  constructor(retryAfterSeconds: number) {
    super('the ingest queue is full; retry later', retryAfterSeconds);
  }
}

export class QueueClosedError extends Error {
  override name = 'QueueClosedError';
}

interface Waiting<T> {
  item: T;
  rows: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class WriteQueue<T> {
  private waiting: Waiting<T>[] = [];
  private tasks: (() => Promise<void>)[] = [];
  private queuedRows = 0;
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly flush: (items: T[]) => Promise<void>,
    private readonly maxRows: number,
    private readonly maxRowsPerFlush: number,
  ) {}

  /** Rows accepted and not yet committed (queued or being written). */
  get pendingRows(): number {
    return this.queuedRows;
  }

  /** Resolves once `item` is committed; rejects with QueueFullError at once when there is no room. */
  enqueue(item: T, rows: number): Promise<void> {
    if (this.closed) return Promise.reject(new QueueClosedError('the store is closing'));
    // An empty queue always takes one batch, however large, so no batch can be refused forever.
    if (this.queuedRows > 0 && this.queuedRows + rows > this.maxRows) {
      return Promise.reject(new QueueFullError(this.queuedRows > this.maxRows / 2 ? 2 : 1));
    }
    this.queuedRows += rows;
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ item, rows, resolve, reject });
      this.kick();
    });
  }

  /** Runs `task` exclusively, between write transactions. */
  exclusive(task: () => Promise<void>): Promise<void> {
    if (this.closed) return Promise.reject(new QueueClosedError('the store is closing'));
    return new Promise<void>((resolve, reject) => {
      this.tasks.push(() => task().then(resolve, reject));
      this.kick();
    });
  }

  /** Stops taking work and waits until everything accepted is written. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.running) await this.running;
  }

  /**
   * Writes a group in one transaction. If that fails, each batch is retried
   * on its own, so one bad batch cannot fail the requests it was grouped with.
   */
  private async settle(group: Waiting<T>[]): Promise<void> {
    // Room is given back before callers resume, so a caller retrying at once finds it.
    const done = (w: Waiting<T>, error?: unknown) => {
      this.queuedRows -= w.rows;
      if (error === undefined) w.resolve();
      else w.reject(error);
    };
    try {
      await this.flush(group.map((w) => w.item));
      for (const w of group) done(w);
      return;
    } catch (error) {
      if (group.length === 1) {
        done(group[0]!, error);
        return;
      }
    }
    for (const w of group) {
      try {
        await this.flush([w.item]);
        done(w);
      } catch (error) {
        done(w, error);
      }
    }
  }

  private kick(): void {
    this.running ??= this.drain().finally(() => {
      this.running = null;
      if (this.waiting.length > 0 || this.tasks.length > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    // Yield once so requests arriving in the same tick join this transaction.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.waiting.length > 0 || this.tasks.length > 0) {
      const task = this.tasks.shift();
      if (task) {
        await task();
        continue;
      }
      const group: Waiting<T>[] = [];
      let rows = 0;
      while (
        this.waiting.length > 0 &&
        (group.length === 0 || rows + this.waiting[0]!.rows <= this.maxRowsPerFlush)
      ) {
        const next = this.waiting.shift()!;
        group.push(next);
        rows += next.rows;
      }
      await this.settle(group);
    }
  }
}
