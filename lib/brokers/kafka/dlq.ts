import { randomUUID } from 'node:crypto';
import { type Admin, Kafka, type KafkaConfig, type Producer } from 'kafkajs';
import type { KafkaSettings } from '@/lib/config';
import { DlqAdapterBase } from '../dlq-adapter-base';
import type { KnownDlqNames } from '../dlq-known-names';
import { looksLikeDlq } from '../dlq-names';
import { type DlqQueueInfo, type DlqSession, type OpenOptions, DlqBrokerError } from '../dlq-types';
import { kafkaAddress, kafkaConnection } from './connection';
import { KafkaSession } from './dlq-session';

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
export class KafkaDlqAdapter extends DlqAdapterBase {
  readonly system = 'kafka' as const;
  private readonly kafka: Kafka;
  private admin: Admin | null = null;
  private producer: Producer | null = null;

  constructor(
    settings: KafkaSettings,
    configured: KnownDlqNames | readonly string[] = [],
    clientConfig: Partial<KafkaConfig> = {},
  ) {
    super(kafkaAddress(settings), configured);
    this.kafka = new Kafka({
      ...kafkaConnection(settings),
      clientId: `${settings.clientId}-dlq`,
      requestTimeout: 30_000,
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
