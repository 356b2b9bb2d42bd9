import amqp, { type Channel, type ChannelModel } from 'amqplib';
import type { BrokerSettings } from '@/lib/config';
import type { BrokerAdapter, GroupReading, PollContext } from '../lag-types';
import { type ManagementQueue, fetchQueues } from './management-api';

type RabbitSettings = NonNullable<BrokerSettings['rabbitmq']>;

/**
 * RabbitMQ queue backlogs. A queue is its own "group" (its consumers compete for its messages).
 *
 * - lagMessages = messages ready for delivery; those delivered but not yet acknowledged are in
 *   details.unacked (being worked on, not waiting).
 * - With the management API (SIGNALBOX_RABBITMQ_MANAGEMENT_URL): every queue is discovered, with
 *   publish/deliver/ack rates, position = acks + no-ack deliveries so far (a counter that grows while
 *   the queue is consumed), and lagSeconds from `head_message_timestamp` — the `timestamp` property of
 *   the first ready message, known only when publishers set it.
 * - Without it: AMQP cannot list queues, so the queues named in SIGNALBOX_RABBITMQ_QUEUES are checked
 *   with a passive declare (ready count and consumer count only). No rates, no position, and no age:
 *   AMQP cannot look at a message without taking it, and basic.get + requeue would mark it
 *   redelivered (which consumers see, and which drives some retry logic), so we never do that.
 */
export class RabbitMqLagAdapter implements BrokerAdapter {
  readonly system = 'rabbitmq' as const;
  readonly address: string;
  private connection: ChannelModel | null = null;
  private channel: Channel | null = null;

  constructor(
    private readonly settings: RabbitSettings,
    private readonly include: (queue: string) => boolean,
  ) {
    const url = new URL(settings.url);
    this.address = `${url.protocol}//${url.host}${url.pathname.length > 1 ? url.pathname : ''}`;
  }

  async readLag({ signal, nowMs }: PollContext): Promise<GroupReading[]> {
    if (this.settings.managementUrl) {
      const queues = await fetchQueues(this.settings.managementUrl, this.settings.tls, signal);
      return queues.filter((q) => this.include(q.name)).map((q) => managementReading(q, nowMs));
    }
    const readings: GroupReading[] = [];
    for (const queue of this.settings.queues.filter((q) => this.include(q))) {
      signal.throwIfAborted();
      const checked = await this.checkQueue(queue);
      if (!checked) continue;
      readings.push({
        system: 'rabbitmq',
        group: queue,
        destination: queue,
        consumers: checked.consumerCount,
        partitions: [
          {
            partition: '',
            lagMessages: checked.messageCount,
            lagSeconds: checked.messageCount === 0 ? 0 : null,
            lagSecondsSource: 'none',
            position: null,
            endPosition: null,
          },
        ],
        details: { ready: checked.messageCount },
      });
    }
    return readings;
  }

  /** Passive declare; null when the queue does not exist (a 404 closes the channel: reopen next time). */
  private async checkQueue(queue: string): Promise<{ messageCount: number; consumerCount: number } | null> {
    const channel = await this.openChannel();
    try {
      return await channel.checkQueue(queue);
    } catch (error) {
      this.channel = null;
      if (/404|NOT_FOUND/.test(String(error))) return null;
      throw error;
    }
  }

  private async openChannel(): Promise<Channel> {
    if (this.channel) return this.channel;
    if (!this.connection) {
      const tls = this.settings.tls;
      const connection = await amqp.connect(this.settings.url, {
        timeout: 5000,
        ...(tls
          ? {
              ca: tls.ca ? [tls.ca] : undefined,
              cert: tls.cert,
              key: tls.key,
              rejectUnauthorized: tls.rejectUnauthorized,
            }
          : {}),
      });
      // Without listeners an 'error' event would crash the process; the next poll reconnects.
      connection.on('error', () => undefined);
      connection.on('close', () => {
        if (this.connection === connection) {
          this.connection = null;
          this.channel = null;
        }
      });
      this.connection = connection;
    }
    const channel = await this.connection.createChannel();
    channel.on('error', () => undefined);
    channel.on('close', () => {
      if (this.channel === channel) this.channel = null;
    });
    this.channel = channel;
    return channel;
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    this.channel = null;
    await connection?.close().catch(() => undefined);
  }
}

/** One queue as the management API describes it. */
export function managementReading(q: ManagementQueue, nowMs: number): GroupReading {
  const stats = q.message_stats;
  const acked = stats?.ack ?? null;
  const noAck = stats?.deliver_no_ack ?? null;
  const position = acked === null && noAck === null ? null : (acked ?? 0) + (noAck ?? 0);
  const head = q.head_message_timestamp;
  const name = q.vhost === '/' ? q.name : `${q.vhost}/${q.name}`;
  let lagSeconds: number | null = q.messages_ready === 0 ? 0 : null;
  if (q.messages_ready > 0 && typeof head === 'number') lagSeconds = Math.max(0, nowMs / 1000 - head);
  return {
    system: 'rabbitmq',
    group: name,
    destination: name,
    consumers: q.consumers,
    partitions: [
      {
        partition: '',
        lagMessages: q.messages_ready,
        lagSeconds,
        lagSecondsSource: lagSeconds !== null && q.messages_ready > 0 ? 'message-timestamp' : 'none',
        position,
        endPosition: null,
      },
    ],
    details: {
      ready: q.messages_ready,
      unacked: q.messages_unacknowledged,
      publishPerSecond: stats?.publish_details?.rate ?? null,
      deliverPerSecond: stats?.deliver_get_details?.rate ?? null,
      ackPerSecond: stats?.ack_details?.rate ?? null,
      vhost: q.vhost,
    },
  };
}
