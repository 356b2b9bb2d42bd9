import { randomUUID } from 'node:crypto';
import {
  type Admin,
  type Consumer,
  type EachBatchPayload,
  Kafka,
  type KafkaConfig,
  type KafkaMessage,
  type Producer,
  type SASLOptions,
  logLevel,
} from 'kafkajs';
import type { KafkaSettings } from '@/lib/brokers/config';
import { looksLikeDlq } from '../names';
import { KnownDlqNames } from './known-names';
import { normaliseHeaders } from './headers';
import {
  type BrowseResult,
  type DlqAdapter,
  type DlqQueueInfo,
  type DlqRecord,
  type DlqSession,
  type OpenOptions,
  type OutgoingMessage,
  DlqBrokerError,
} from './types';

/**
 * Kafka dead-letter topics. Every pass (browse or replay) reads by offset with a throw-away consumer
 * group that never commits and is deleted afterwards: nothing is consumed from anyone else, and a
 * pass killed with SIGKILL leaves no member behind that a resumed pass would have to wait out (a
 * job-wide group would block the resumed pass for a whole session timeout). Kafka cannot delete a
 * single record, so "removing" a replayed record is recorded in the job's checkpoint (the dashboard
 * shows it as replayed and no job replays it again); a resumed pass seeks each partition past the
 * highest checkpointed offset (records are checkpointed in offset order per partition). Purge deletes
 * every record up to the high watermark (DeleteRecords).
 */
export class KafkaDlqAdapter implements DlqAdapter {
  readonly system = 'kafka' as const;
  readonly address: string;
  private readonly kafka: Kafka;
  private admin: Admin | null = null;
  private producer: Producer | null = null;
  private readonly configured: KnownDlqNames;

  constructor(
    settings: KafkaSettings,
    configured: KnownDlqNames | readonly string[] = [],
    clientConfig: Partial<KafkaConfig> = {},
  ) {
    this.configured = KnownDlqNames.of(configured);
    this.address = settings.brokers.join(',');
    this.kafka = new Kafka({
      clientId: `${settings.clientId}-dlq`,
      brokers: settings.brokers,
      ssl: settings.tls ? { ...settings.tls } : false,
      sasl: settings.sasl ? (settings.sasl as SASLOptions) : undefined,
      connectionTimeout: 3000,
      requestTimeout: 30_000,
      logLevel: logLevel.NOTHING,
      ...clientConfig,
    });
  }

  private async getAdmin(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }

  private async getProducer(): Promise<Producer> {
    if (!this.producer) {
      // Idempotent: a retried send after a lost ack is not written twice by the broker.
      const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      this.producer = producer;
    }
    return this.producer;
  }

  async discover(): Promise<DlqQueueInfo[]> {
    const admin = await this.getAdmin();
    const topics = (await admin.listTopics()).filter((t) => !t.startsWith('__'));
    const found: DlqQueueInfo[] = [];
    for (const name of topics.sort()) {
      const known = this.configured.source(name);
      if (!known && !looksLikeDlq(name)) continue;
      const offsets = await admin.fetchTopicOffsets(name);
      const messages = offsets.reduce((sum, p) => sum + (Number(p.high) - Number(p.low)), 0);
      found.push({ system: 'kafka', name, messages, source: known ?? 'name' });
    }
    return found;
  }

  async browse(queue: string, limit: number): Promise<BrowseResult> {
    const session = await this.openSession(queue, 'browse', null, new Set());
    const records: DlqRecord[] = [];
    let truncated = false;
    try {
      for (;;) {
        const record = await session.next();
        if (!record) break;
        if (records.length === limit) {
          truncated = true;
          break;
        }
        records.push(record);
      }
    } finally {
      await session.close();
    }
    return { records, truncated };
  }

  open(queue: string, options: OpenOptions): Promise<DlqSession> {
    return this.openSession(queue, options.jobId, options.cursor, options.checkpointed ?? new Set());
  }

  private async openSession(
    queue: string,
    purpose: string,
    cursor: string | null,
    checkpointed: ReadonlySet<string>,
  ): Promise<KafkaSession> {
    const groupId = `signalbox-dlq-${purpose}-${randomUUID()}`;
    const admin = await this.getAdmin();
    const topics = await admin.listTopics();
    if (!topics.includes(queue)) throw new DlqBrokerError(`Kafka topic ${queue} does not exist`);
    // The pass ends at the end offsets seen when the job started (kept in the cursor), so records
    // dead-lettered while it runs, including its own re-failures, are not replayed in a loop.
    let ends: Record<string, string>;
    if (cursor) ends = JSON.parse(cursor) as Record<string, string>;
    else {
      ends = {};
      for (const p of await admin.fetchTopicOffsets(queue)) ends[String(p.partition)] = p.high;
    }
    const resume = new Map<number, bigint>();
    for (const key of checkpointed) {
      const [p, o] = key.split(':');
      if (p === undefined || o === undefined || !/^\d+$/.test(p) || !/^\d+$/.test(o)) continue;
      const next = BigInt(o) + 1n;
      if ((resume.get(Number(p)) ?? -1n) < next) resume.set(Number(p), next);
    }
    const done = new Set<number>();
    for (const p of await admin.fetchTopicOffsets(queue)) {
      const end = BigInt(ends[String(p.partition)] ?? '0');
      const start = resume.get(p.partition) ?? BigInt(p.low);
      if (start >= end || BigInt(p.low) >= end) done.add(p.partition);
    }
    // maxWaitTimeInMs: disconnect waits for the fetch in flight, so keep it short.
    const consumer = this.kafka.consumer({
      groupId,
      sessionTimeout: 30_000,
      heartbeatInterval: 3000,
      maxWaitTimeInMs: 200,
    });
    const session = new KafkaSession(queue, consumer, ends, done, resume, JSON.stringify(ends), {
      producer: () => this.getProducer(),
      dispose: async () => {
        await (await this.getAdmin()).deleteGroups([groupId]).catch(() => undefined);
      },
    });
    await session.start();
    return session;
  }

  async purge(queue: string): Promise<number | null> {
    const admin = await this.getAdmin();
    const offsets = await admin.fetchTopicOffsets(queue);
    const count = offsets.reduce((sum, p) => sum + (Number(p.high) - Number(p.low)), 0);
    await admin.deleteTopicRecords({
      topic: queue,
      partitions: offsets.map((p) => ({ partition: p.partition, offset: p.high })),
    });
    return count;
  }

  async close(): Promise<void> {
    const [admin, producer] = [this.admin, this.producer];
    this.admin = null;
    this.producer = null;
    await Promise.all([
      admin?.disconnect().catch(() => undefined),
      producer?.disconnect().catch(() => undefined),
    ]);
  }
}

const BUFFER_HIGH = 2000;

/** A pull-style pass over a topic on top of kafkajs's push-style consumer, with back-pressure. */
class KafkaSession implements DlqSession {
  private readonly buffer: DlqRecord[] = [];
  private wake: (() => void) | null = null;
  private drained: (() => void) | null = null;
  private failure: Error | null = null;
  private closed = false;

  constructor(
    private readonly topic: string,
    private readonly consumer: Consumer,
    private readonly ends: Record<string, string>,
    private readonly done: Set<number>,
    private readonly resume: ReadonlyMap<number, bigint>,
    readonly cursor: string,
    private readonly hooks: { producer: () => Promise<Producer>; dispose: () => Promise<void> },
  ) {}

  private get partitions(): number {
    return Object.keys(this.ends).length;
  }

  async start(): Promise<void> {
    if (this.done.size >= this.partitions) return;
    await this.consumer.connect();
    this.consumer.on(this.consumer.events.CRASH, (event) => {
      this.failure = new DlqBrokerError(`Kafka consumer crashed: ${String(event.payload.error)}`);
      this.notify();
    });
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.onBatch(payload),
    });
    if (this.done.size > 0) this.consumer.pause([{ topic: this.topic, partitions: [...this.done] }]);
    for (const [partition, offset] of this.resume) {
      if (!this.done.has(partition))
        this.consumer.seek({ topic: this.topic, partition, offset: String(offset) });
    }
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const end = BigInt(this.ends[String(batch.partition)] ?? '0');
    const from = this.resume.get(batch.partition) ?? 0n;
    if (this.done.has(batch.partition)) return;
    for (const message of batch.messages) {
      if (BigInt(message.offset) >= end) break;
      // Moves kafkajs's in-memory position (nothing is committed): without it the next fetch would
      // return the same records again.
      payload.resolveOffset(message.offset);
      // Before a seek takes effect kafkajs may deliver a batch from the start: skip what is checkpointed.
      if (BigInt(message.offset) < from) continue;
      this.buffer.push(toRecord(batch.partition, message));
    }
    if (BigInt(batch.lastOffset()) + 1n >= end || batch.messages.some((m) => BigInt(m.offset) >= end)) {
      this.done.add(batch.partition);
      // Nothing past the end is wanted; pausing stops kafkajs fetching it.
      payload.pause();
    }
    this.notify();
    // Back-pressure: wait (heartbeating, so the group keeps us) until the replay caught up.
    while (this.buffer.length > BUFFER_HIGH && payload.isRunning() && !payload.isStale() && !this.closed) {
      await new Promise<void>((resolve) => {
        this.drained = resolve;
        setTimeout(resolve, 2000);
      });
      await payload.heartbeat();
    }
  }

  private notify(): void {
    this.wake?.();
    this.wake = null;
  }

  async next(): Promise<DlqRecord | null> {
    for (;;) {
      if (this.failure) throw this.failure;
      const record = this.buffer.shift();
      if (record) {
        if (this.buffer.length <= BUFFER_HIGH / 2) this.drained?.();
        return record;
      }
      if (this.done.size >= this.partitions) return null;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  async publish(target: string, messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const producer = await this.hooks.producer();
    // acks -1: resolves only once every in-sync replica has the copies.
    await producer.send({
      topic: target,
      acks: -1,
      messages: messages.map((m) => ({ key: m.messageKey, value: m.body, headers: m.headers })),
    });
  }

  /** Kafka cannot delete one record: the job's checkpoint is the record that it was replayed. */
  remove(): Promise<void> {
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.drained?.();
    this.notify();
    await this.consumer.disconnect().catch(() => undefined);
    await this.hooks.dispose();
  }
}

function toRecord(partition: number, message: KafkaMessage): DlqRecord {
  const ts = Number(message.timestamp);
  return {
    key: `${partition}:${message.offset}`,
    headers: normaliseHeaders(message.headers, true),
    rawHeaders: message.headers ?? {},
    body: message.value ?? Buffer.alloc(0),
    messageKey: message.key,
    timestamp: Number.isFinite(ts) && ts > 0 ? new Date(ts).toISOString() : null,
  };
}
