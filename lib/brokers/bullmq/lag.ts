import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { BrokerSettings } from '@/lib/config';
import type { BrokerAdapter, GroupReading, PollContext } from '../lag-types';
import { openRedis, redisAddress } from '../redis/connection';

type BullSettings = NonNullable<BrokerSettings['bullmq']>;

const RESCAN_EVERY_MS = 60_000;

/**
 * BullMQ queue backlogs, for every queue under the prefix (found by its `<prefix>:<name>:meta` and
 * `<prefix>:<name>:id` keys). A queue is its own group (its workers compete for jobs).
 *
 * - lagMessages = jobs waiting to be processed: waiting + prioritized (BullMQ 6 keeps the jobs of a
 *   paused queue in its wait list). active, delayed, failed, completed and whether the queue is paused
 *   are details.
 * - lagSeconds = age of the oldest waiting job: now − (its timestamp + its delay), i.e. since it
 *   became processable. Prioritized jobs jump the line, so the oldest plain waiting job is used.
 * - consumers = workers connected to the queue (CLIENT LIST; null where the server forbids it).
 * - no position: BullMQ keeps no consumed counter unless workers enable metrics.
 */
export class BullMqLagAdapter implements BrokerAdapter {
  readonly system = 'bullmq' as const;
  readonly address: string;
  private redis: Redis | null = null;
  private readonly queues = new Map<string, Queue>();
  private names: string[] = [];
  private scannedAtMs = -Infinity;

  constructor(
    private readonly settings: BullSettings,
    private readonly include: (queue: string) => boolean,
  ) {
    this.address = `${redisAddress(settings.url)} (prefix ${settings.prefix})`;
  }

  private async connection(): Promise<Redis> {
    if (this.redis?.status === 'ready') return this.redis;
    await this.close();
    this.redis = await openRedis(this.settings.url, this.settings.tls);
    return this.redis;
  }

  private async discover(redis: Redis, nowMs: number): Promise<string[]> {
    if (nowMs - this.scannedAtMs < RESCAN_EVERY_MS) return this.names;
    const prefix = this.settings.prefix;
    const found = new Set<string>();
    let cursor = '0';
    do {
      const [next, keys] = (await redis.call('SCAN', cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)) as [
        string,
        string[],
      ];
      cursor = next;
      for (const key of keys) {
        const match = /^(.+):(meta|id)$/.exec(key.slice(prefix.length + 1));
        if (match) found.add(match[1]!);
      }
    } while (cursor !== '0');
    this.names = [...found].sort();
    this.scannedAtMs = nowMs;
    return this.names;
  }

  private queue(name: string, redis: Redis): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: redis, prefix: this.settings.prefix });
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  async readLag({ signal, nowMs }: PollContext): Promise<GroupReading[]> {
    const redis = await this.connection();
    const readings: GroupReading[] = [];
    for (const name of await this.discover(redis, nowMs)) {
      if (!this.include(name)) continue;
      signal.throwIfAborted();
      const queue = this.queue(name, redis);
      const [counts, paused, workers, oldest] = await Promise.all([
        queue.getJobCounts('wait', 'prioritized', 'active', 'delayed', 'failed', 'completed'),
        queue.isPaused(),
        queue.getWorkersCount().catch(() => null),
        queue.getJobs(['wait'], 0, 0, true),
      ]);
      const waiting = (counts.wait ?? 0) + (counts.prioritized ?? 0);
      const job = oldest[0];
      let lagSeconds: number | null = waiting === 0 ? 0 : null;
      if (waiting > 0 && job) lagSeconds = Math.max(0, (nowMs - (job.timestamp + (job.delay ?? 0))) / 1000);
      readings.push({
        system: 'bullmq',
        group: name,
        destination: name,
        consumers: workers,
        partitions: [
          {
            partition: '',
            lagMessages: waiting,
            lagSeconds,
            lagSecondsSource: waiting > 0 && lagSeconds !== null ? 'message-timestamp' : 'none',
            position: null,
            endPosition: null,
          },
        ],
        details: {
          waiting: counts.wait ?? 0,
          prioritized: counts.prioritized ?? 0,
          active: counts.active ?? 0,
          delayed: counts.delayed ?? 0,
          failed: counts.failed ?? 0,
          completed: counts.completed ?? 0,
          paused: paused ? 1 : 0,
        },
      });
    }
    return readings;
  }

  async close(): Promise<void> {
    const queues = [...this.queues.values()];
    this.queues.clear();
    this.scannedAtMs = -Infinity;
    await Promise.allSettled(queues.map((q) => q.close()));
    const redis = this.redis;
    this.redis = null;
    redis?.disconnect();
  }
}
