import {
  type ConsumerInfo,
  type JetStreamManager,
  type StoredMsg,
  jetstreamManager,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { BrokerSettings } from '@/lib/config';
import type { BrokerAdapter, GroupReading, LagTimeSource, PollContext } from '../lag-types';
import { PATHWAY_HEADER, parsePathway } from '../pathway';
import { natsAddress, openNats } from './connection';

type NatsSettings = NonNullable<BrokerSettings['nats']>;

/**
 * NATS JetStream consumer lag, for every consumer of every stream (JetStream API: STREAM.LIST,
 * CONSUMER.LIST, STREAM.MSG.GET).
 *
 * - lagMessages = messages the consumer has not had acknowledged: num_pending (not yet delivered) +
 *   num_ack_pending (delivered, awaiting ack) — the same meaning as Kafka's committed-offset lag;
 *   both parts and num_redelivered are in details.
 * - position = ack floor stream sequence; endPosition = the stream's last sequence.
 * - lagSeconds = age of the oldest unacknowledged message: the first message matching the consumer's
 *   filter after its ack floor (pathway header's sendMs when present, else the time the stream stored
 *   it). One MSG.GET per lagging consumer, cached while the ack floor stays put.
 * - consumers: push consumers 1 or 0 (push_bound); pull consumers the pull requests waiting, or
 *   unknown when none wait but messages are out for ack (the client is busy, not necessarily gone).
 */
export class NatsLagAdapter implements BrokerAdapter {
  readonly system = 'nats' as const;
  readonly address: string;
  private connection: NatsConnection | null = null;
  private manager: JetStreamManager | null = null;
  private readonly heads = new Map<string, { seq: number; tsMs: number; source: LagTimeSource }>();

  constructor(
    private readonly settings: NatsSettings,
    private readonly include: (consumer: string, stream: string) => boolean,
  ) {
    this.address = natsAddress(settings);
  }

  private async jsm(): Promise<JetStreamManager> {
    if (this.manager && this.connection && !this.connection.isClosed()) return this.manager;
    const connection = await openNats(this.settings, 'signalbox-lag');
    this.connection = connection;
    this.manager = await jetstreamManager(connection);
    return this.manager;
  }

  async readLag({ signal, nowMs }: PollContext): Promise<GroupReading[]> {
    const jsm = await this.jsm();
    const readings: GroupReading[] = [];
    const seen = new Set<string>();
    for await (const stream of jsm.streams.list()) {
      signal.throwIfAborted();
      const name = stream.config.name;
      for await (const consumer of jsm.consumers.list(name)) {
        if (!this.include(consumer.name, name)) continue;
        seen.add(`${name}\u0000${consumer.name}`);
        readings.push(await this.reading(jsm, consumer, stream.state.last_seq, nowMs));
      }
    }
    for (const key of this.heads.keys()) if (!seen.has(key)) this.heads.delete(key);
    return readings.sort(
      (a, b) => a.destination.localeCompare(b.destination) || a.group.localeCompare(b.group),
    );
  }

  private async reading(
    jsm: JetStreamManager,
    c: ConsumerInfo,
    lastSeq: number,
    nowMs: number,
  ): Promise<GroupReading> {
    const lag = c.num_pending + c.num_ack_pending;
    let lagSeconds: number | null = lag === 0 ? 0 : null;
    let source: LagTimeSource = 'none';
    if (lag > 0) {
      const head = await this.head(jsm, c, nowMs);
      if (head) {
        lagSeconds = Math.max(0, (nowMs - head.tsMs) / 1000);
        source = head.source;
      }
    }
    let consumers: number | null;
    if (c.config.deliver_subject) consumers = c.push_bound ? 1 : 0;
    else consumers = c.num_waiting > 0 ? c.num_waiting : c.num_ack_pending > 0 ? null : 0;
    return {
      system: 'nats',
      group: c.name,
      destination: c.stream_name,
      consumers,
      partitions: [
        {
          partition: '',
          lagMessages: lag,
          lagSeconds,
          lagSecondsSource: source,
          position: c.ack_floor.stream_seq,
          endPosition: lastSeq,
        },
      ],
      details: {
        pending: c.num_pending,
        ackPending: c.num_ack_pending,
        redelivered: c.num_redelivered,
        waiting: c.num_waiting,
      },
    };
  }

  /** The oldest unacknowledged message's produce time, cached per ack floor. */
  private async head(
    jsm: JetStreamManager,
    c: ConsumerInfo,
    nowMs: number,
  ): Promise<{ tsMs: number; source: LagTimeSource } | null> {
    const key = `${c.stream_name}\u0000${c.name}`;
    const seq = c.ack_floor.stream_seq + 1;
    const cached = this.heads.get(key);
    if (cached?.seq === seq) return cached;
    const filters = c.config.filter_subjects ?? (c.config.filter_subject ? [c.config.filter_subject] : []);
    // next_by_subj skips deleted sequences and other subjects; with several filters, take the earliest.
    const subjects = filters.length > 0 ? filters : ['>'];
    const found = await Promise.all(
      subjects.map((subject) =>
        jsm.streams
          // The request type lists only seq or last_by_subj; the server also takes seq + next_by_subj.
          .getMessage(c.stream_name, { seq, next_by_subj: subject } as unknown as { seq: number })
          .catch(() => null),
      ),
    );
    const message = found.filter((m): m is StoredMsg => m !== null).sort((a, b) => a.seq - b.seq)[0];
    if (!message) return null;
    const pathway = parsePathway(message.header?.get(PATHWAY_HEADER) || undefined, nowMs);
    const head = pathway
      ? { seq, tsMs: pathway.sendMs, source: 'pathway' as const }
      : { seq, tsMs: message.time.getTime(), source: 'message-timestamp' as const };
    this.heads.set(key, head);
    return head;
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    this.manager = null;
    await connection?.close().catch(() => undefined);
  }
}
