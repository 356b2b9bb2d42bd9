import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { type DlqRecord, type DlqSession, type OutgoingMessage, DlqBrokerError } from '../dlq-types';
import { errorText } from '../error-text';
import { type BullDlqName, jobRecord, replayJob } from './dlq-jobs';

/** Jobs read from Redis per round trip. */
const PAGE = 100;

/** A pass over the job ids present at the start; nothing is held, so `close` has nothing to give back. */
export class BullSession implements DlqSession {
  readonly cursor: string;
  private readonly buffer: DlqRecord[] = [];
  private read = 0;

  constructor(
    private readonly dlq: BullDlqName,
    private readonly queue: Queue,
    private readonly redis: Redis,
    private readonly ids: readonly string[],
    private readonly until: number,
    private readonly target: (name: string) => Promise<Queue>,
  ) {
    this.cursor = JSON.stringify({ until });
  }

  async next(): Promise<DlqRecord | null> {
    while (this.buffer.length === 0 && this.read < this.ids.length) {
      const page = this.ids.slice(this.read, this.read + PAGE);
      this.read += page.length;
      this.buffer.push(...(await this.fetch(page)));
    }
    return this.buffer.shift() ?? null;
  }

  /** The jobs of `ids` still where the pass found them (a job retried or removed meanwhile is skipped). */
  private async fetch(ids: string[]): Promise<DlqRecord[]> {
    let present = ids;
    if (this.dlq.part === 'failed') {
      const scores = await this.redis.zmscore(this.queue.toKey('failed'), ...ids);
      present = ids.filter((_, i) => scores[i] !== null);
    }
    const jobs: (Job | undefined)[] = await Promise.all(present.map((id) => this.queue.getJob(id)));
    return jobs
      .filter((job): job is Job => job !== undefined)
      .filter((job) => this.dlq.part === 'failed' || job.timestamp <= this.until)
      .map((job) => jobRecord(this.dlq, job));
  }

  async publish(target: string, messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const jobs = messages.map(replayJob);
    const queue = await this.target(target);
    let added: Job[];
    try {
      // One MULTI: every copy is added, or none.
      added = await queue.addBulk(jobs);
    } catch (error) {
      throw new DlqBrokerError(`BullMQ did not add the copies to ${target}: ${errorText(error)}`);
    }
    if (added.length !== jobs.length || added.some((job) => !job.id))
      throw new DlqBrokerError(`BullMQ did not return a job id for every copy added to ${target}`);
  }

  async remove(records: readonly DlqRecord[]): Promise<void> {
    await Promise.all(
      records.map(async (r) => {
        if ((await this.queue.remove(r.key)) === 1) return;
        // Not removed: either gone already (fine) or locked by a worker that took it meanwhile.
        if ((await this.redis.exists(this.queue.toKey(r.key))) === 0) return;
        throw new DlqBrokerError(
          `BullMQ job ${r.key} in ${this.dlq.queue} is locked by a worker: not removed`,
        );
      }),
    );
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
