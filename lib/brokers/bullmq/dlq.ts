import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { BrokerSettings } from '@/lib/config';
import { DlqAdapterBase } from '../dlq-adapter-base';
import type { KnownDlqNames } from '../dlq-known-names';
import { looksLikeDlq } from '../dlq-names';
import { type DlqQueueInfo, type DlqSession, type OpenOptions, DlqBrokerError } from '../dlq-types';
import { errorText } from '../error-text';
import { openRedis, redisAddress } from '../redis/connection';
import { type BullDlqName, failedSetName, parseBullDlqName } from './dlq-jobs';
import { BullSession } from './dlq-session';

type BullSettings = NonNullable<BrokerSettings['bullmq']>;

/**
 * BullMQ dead letters (see ./dlq-jobs.ts for the two kinds): `<queue>:failed` for every queue under
 * the prefix that has failed jobs, and the waiting jobs of queues named like DLQs (deadLetterBullMQ's
 * target), plus configured ones.
 *
 * What reading does: nothing. Jobs are read by id (HGETALL); no job is moved, locked or retried, and
 * the Queue objects are opened with `skipMetasUpdate` so reading writes nothing either.
 *
 * Replay adds each copy to the target queue (default: the queue the job failed in, i.e. a retry) with
 * the replay id as job id, and counts it once Redis returned the added job ids; the target must exist
 * (a queue name with a typo would otherwise silently create a new queue). The original is then
 * removed (`Queue.remove`). A pass reads the jobs present when the job started: for a failed set, up
 * to the highest failed-at score then (kept in the job's cursor); for a waiting DLQ, jobs added up to
 * the newest one's timestamp then.
 */
export class BullMqDlqAdapter extends DlqAdapterBase {
  readonly system = 'bullmq' as const;
  private redis: Redis | null = null;
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly settings: BullSettings,
    configured: KnownDlqNames | readonly string[] = [],
  ) {
    super(`${redisAddress(settings.url)} (prefix ${settings.prefix})`, configured);
  }

  private async connection(): Promise<Redis> {
    if (this.redis?.status === 'ready') return this.redis;
    await this.close();
    this.redis = await openRedis(this.settings.url, this.settings.tls, 'signalbox-dlq').catch(
      (error: unknown) => {
        throw new DlqBrokerError(`cannot connect to Redis at ${this.address}: ${errorText(error)}`);
      },
    );
    return this.redis;
  }

  private queue(name: string, redis: Redis): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      // skipMetasUpdate: a Queue object otherwise writes the queue's meta hash when it connects.
      queue = new Queue(name, { connection: redis, prefix: this.settings.prefix, skipMetasUpdate: true });
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** A queue exists once something created its meta hash or its id counter (as the lag poller finds them). */
  private async exists(redis: Redis, queue: string): Promise<boolean> {
    const key = `${this.settings.prefix}:${queue}`;
    return (await redis.exists(`${key}:meta`, `${key}:id`)) > 0;
  }

  private async requireQueue(redis: Redis, queue: string): Promise<void> {
    if (!(await this.exists(redis, queue)))
      throw new DlqBrokerError(`BullMQ queue ${queue} does not exist under prefix ${this.settings.prefix}`);
  }

  private async queueNames(redis: Redis): Promise<string[]> {
    const prefix = this.settings.prefix;
    const found = new Set<string>();
    for (const suffix of ['meta', 'id']) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(
          cursor,
          'MATCH',
          `${globEscape(prefix)}:*:${suffix}`,
          'COUNT',
          1000,
        );
        cursor = next;
        for (const key of keys) {
          const name = key.slice(prefix.length + 1, -(suffix.length + 1));
          // Queue names cannot contain ':'; anything else is a job's key.
          if (name && !name.includes(':')) found.add(name);
        }
      } while (cursor !== '0');
    }
    return [...found].sort();
  }

  async discover(): Promise<DlqQueueInfo[]> {
    const redis = await this.connection();
    const found: DlqQueueInfo[] = [];
    for (const name of await this.queueNames(redis)) {
      const failedName = failedSetName(name);
      const configuredFailed = this.configured.includes(failedName);
      const configuredWait = this.configured.includes(name);
      const counts = await this.queue(name, redis).getJobCounts('failed', 'wait');
      const failed = counts.failed ?? 0;
      if (failed > 0 || configuredFailed) {
        found.push({
          system: 'bullmq',
          name: failedName,
          messages: failed,
          source: this.configured.source(failedName) ?? 'name',
        });
      }
      if (configuredWait || looksLikeDlq(name)) {
        found.push({
          system: 'bullmq',
          name,
          messages: counts.wait ?? 0,
          source: this.configured.source(name) ?? 'name',
        });
      }
    }
    return found;
  }

  async open(name: string, options: OpenOptions): Promise<DlqSession> {
    const dlq = parseBullDlqName(name);
    const redis = await this.connection();
    await this.requireQueue(redis, dlq.queue);
    const queue = this.queue(dlq.queue, redis);
    const until =
      options.cursor === null ? await this.newest(redis, queue, dlq) : cursorUntil(options.cursor);
    const ids =
      dlq.part === 'failed'
        ? await redis.zrangebyscore(queue.toKey('failed'), '-inf', until)
        : // LPUSH adds at the head: the oldest job is last.
          (await redis.lrange(queue.toKey('wait'), 0, -1)).reverse();
    return new BullSession(dlq, queue, redis, ids, until, (target) => this.target(redis, target));
  }

  /** Where the pass ends: the highest failed-at score, or the newest waiting job's timestamp. */
  private async newest(redis: Redis, queue: Queue, dlq: BullDlqName): Promise<number> {
    if (dlq.part === 'failed') {
      const [, score] = await redis.zrevrange(queue.toKey('failed'), 0, 0, 'WITHSCORES');
      return score === undefined ? 0 : Number(score);
    }
    const ids = await redis.lrange(queue.toKey('wait'), 0, -1);
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hget(queue.toKey(id), 'timestamp');
    const stamps = ((await pipeline.exec()) ?? []).map(([, value]) => Number(value));
    return stamps.reduce((max, t) => (Number.isFinite(t) && t > max ? t : max), 0);
  }

  private async target(redis: Redis, name: string): Promise<Queue> {
    if (name.includes(':'))
      throw new DlqBrokerError(`${name} is not a BullMQ queue name (":" is not allowed)`);
    if (!(await this.exists(redis, name)))
      throw new DlqBrokerError(`no BullMQ queue named ${name} under prefix ${this.settings.prefix}`);
    return this.queue(name, redis);
  }

  async purge(name: string): Promise<number | null> {
    const dlq = parseBullDlqName(name);
    const redis = await this.connection();
    await this.requireQueue(redis, dlq.queue);
    // grace 0, limit 0 (no limit): every job of that state finished or added before now.
    return (await this.queue(dlq.queue, redis).clean(0, 0, dlq.part)).length;
  }

  async close(): Promise<void> {
    const queues = [...this.queues.values()];
    this.queues.clear();
    await Promise.allSettled(queues.map((q) => q.close()));
    const redis = this.redis;
    this.redis = null;
    redis?.disconnect();
  }
}

function cursorUntil(cursor: string): number {
  const until = (JSON.parse(cursor) as { until?: unknown }).until;
  if (typeof until !== 'number' || !Number.isFinite(until))
    throw new DlqBrokerError(`unreadable BullMQ replay cursor: ${cursor}`);
  return until;
}

function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
