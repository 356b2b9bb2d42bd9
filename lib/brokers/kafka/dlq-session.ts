import type { Consumer, EachBatchPayload, KafkaMessage, Producer } from 'kafkajs';
import { normaliseHeaders } from '../dlq-headers';
import { type DlqRecord, type DlqSession, type OutgoingMessage, DlqBrokerError } from '../dlq-types';

/** Records read ahead of the replay; above it the consumer waits (back-pressure). */
const BUFFER_HIGH = 2000;

/** A pull-style pass over a topic on top of kafkajs's push-style consumer, with back-pressure. */
export class KafkaSession implements DlqSession {
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
