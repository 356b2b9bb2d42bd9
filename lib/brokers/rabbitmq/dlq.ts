import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import type { BrokerSettings } from '@/lib/config';
import { DlqAdapterBase } from '../dlq-adapter-base';
import type { KnownDlqNames } from '../dlq-known-names';
import { looksLikeDlq } from '../dlq-names';
import { type DlqQueueInfo, type DlqSession, DlqBrokerError } from '../dlq-types';
import { deadLetterTargets, targetKey } from './dlq-dlx';
import { RabbitSession } from './dlq-session';
import { fetchQueues } from './management-api';

type RabbitSettings = NonNullable<BrokerSettings['rabbitmq']>;

/**
 * RabbitMQ dead-letter queues (classic or quorum).
 *
 * What browsing does: AMQP has no peek. Browsing takes up to `limit` messages with basic.get
 * (unacked), then hands them all back with basic.nack(requeue=true). They keep their place in the
 * queue, but RabbitMQ sets `redelivered` on them, and on quorum queues each return adds 1 to
 * `x-delivery-count` (which a delivery-limit policy counts). Nothing is lost: if the dashboard dies
 * while holding them, the broker requeues them when the channel closes.
 *
 * Discovery: with the management API (SIGNALBOX_RABBITMQ_MANAGEMENT_URL), every queue whose name looks
 * like a DLQ or that receives another queue's dead letters (x-dead-letter-exchange, ./dlq-dlx.ts);
 * without it, the configured queues' `<queue>.dlq` and the configured DLQs.
 *
 * Replay holds each DLQ message unacked while its copy is published on a confirm channel, and acks it
 * only after RabbitMQ confirmed the copy and the job checkpointed it.
 */
export class RabbitMqDlqAdapter extends DlqAdapterBase {
  readonly system = 'rabbitmq' as const;
  private connection: ChannelModel | null = null;

  constructor(
    private readonly settings: RabbitSettings,
    configured: KnownDlqNames | readonly string[] = [],
  ) {
    super(rabbitAddress(settings.url), configured);
  }

  private async connect(): Promise<ChannelModel> {
    if (this.connection) return this.connection;
    const tls = this.settings.tls;
    const connection = await amqp.connect(this.settings.url, {
      timeout: 5000,
      // amqplib leaves Nagle on: a basic.get or a publish then waits for the peer's delayed ACK
      // (~40 ms), which caps a paced replay far below the asked rate.
      noDelay: true,
      ...(tls ? { ca: tls.ca ? [tls.ca] : undefined, cert: tls.cert, key: tls.key } : {}),
    });
    connection.on('error', () => undefined);
    connection.on('close', () => {
      if (this.connection === connection) this.connection = null;
    });
    this.connection = connection;
    return connection;
  }

  private async channel(): Promise<ConfirmChannel> {
    const channel = await (await this.connect()).createConfirmChannel();
    // A channel error (404 on a missing queue) closes the channel; the call that caused it rejects.
    channel.on('error', () => undefined);
    return channel;
  }

  /** Queue size, or null when it does not exist. */
  private async count(queue: string): Promise<number | null> {
    const channel = await this.channel();
    try {
      return (await channel.checkQueue(queue)).messageCount;
    } catch (error) {
      if (/404|NOT_FOUND/.test(String(error))) return null;
      throw error;
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  async discover(): Promise<DlqQueueInfo[]> {
    const found = new Map<string, DlqQueueInfo>();
    if (this.settings.managementUrl) {
      const signal = AbortSignal.timeout(5000);
      const queues = await fetchQueues(this.settings.managementUrl, this.settings.tls, signal);
      const dlxTargets = await deadLetterTargets(
        queues,
        this.settings.managementUrl,
        this.settings.tls,
        signal,
      );
      for (const q of queues) {
        const known = this.configured.source(q.name);
        const byDlx = dlxTargets.has(targetKey(q.vhost, q.name));
        if (!known && !byDlx && !looksLikeDlq(q.name)) continue;
        found.set(q.name, {
          system: 'rabbitmq',
          name: q.name,
          messages: q.messages_ready + q.messages_unacknowledged,
          source: known ?? (byDlx ? 'dead-letter-exchange' : 'name'),
        });
      }
      return [...found.values()];
    }
    // Without the management API AMQP cannot list queues: check the configured DLQs, the configured
    // queues that look like DLQs, and `<queue>.dlq` (deadLetterAmqp's default) for each configured queue.
    const candidates = new Map<string, DlqQueueInfo['source']>();
    for (const name of this.configured) candidates.set(name, this.configured.source(name) ?? 'config');
    for (const name of this.settings.queues) {
      if (looksLikeDlq(name)) candidates.set(name, candidates.get(name) ?? 'name');
      else if (!candidates.has(`${name}.dlq`)) candidates.set(`${name}.dlq`, 'name');
    }
    for (const [name, source] of candidates) {
      const messages = await this.count(name);
      if (messages !== null) found.set(name, { system: 'rabbitmq', name, messages, source });
    }
    return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  async open(queue: string): Promise<DlqSession> {
    const size = await this.count(queue);
    if (size === null) throw new DlqBrokerError(`RabbitMQ queue ${queue} does not exist`);
    const session = new RabbitSession(queue, await this.channel(), size);
    await session.start();
    return session;
  }

  async purge(queue: string): Promise<number | null> {
    const channel = await this.channel();
    try {
      return (await channel.purgeQueue(queue)).messageCount;
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    await connection?.close().catch(() => undefined);
  }
}

/** The broker's address without credentials: `amqp://host:port`. */
function rabbitAddress(url: string): string {
  const { protocol, host } = new URL(url);
  return `${protocol}//${host}`;
}
