/**
 * Who may touch a DLQ when. Jobs of one queue run one after another in the order they were created
 * (queues do not wait for each other). Reads of one queue (the page, a dry run, an archive pass) take
 * turns, and a job waits for the read in flight before its pass: on RabbitMQ and SQS a read holds the
 * messages for a moment, so two at once would each see part of the queue.
 */
export class QueueTurns {
  private readonly jobs = new Map<string, Promise<void>>();
  private readonly reads = new Map<string, Promise<void>>();

  /** Runs `read` after the queue's reads before it. */
  read<T>(queueId: string, read: () => Promise<T>): Promise<T> {
    const next = (this.reads.get(queueId) ?? Promise.resolve()).then(read);
    this.chain(this.reads, queueId, next);
    return next;
  }

  /** Queues `job` behind the queue's jobs; it starts once the read in flight (if any) is done. */
  job(queueId: string, job: () => Promise<void>): void {
    const next = (this.jobs.get(queueId) ?? Promise.resolve()).then(async () => {
      await this.reads.get(queueId);
      await job();
    });
    this.chain(this.jobs, queueId, next);
  }

  /** A job of this queue is queued or running. */
  hasJob(queueId: string): boolean {
    return this.jobs.has(queueId);
  }

  /** Settles once every job queued so far has ended. */
  async idle(): Promise<void> {
    while (this.jobs.size > 0) await Promise.all(this.jobs.values());
  }

  private chain(map: Map<string, Promise<void>>, queueId: string, next: Promise<unknown>): void {
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    map.set(queueId, settled);
    void settled.then(() => {
      if (map.get(queueId) === settled) map.delete(queueId);
    });
  }
}
