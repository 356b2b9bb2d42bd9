import amqp, { type ChannelModel, type ConfirmChannel, type Message, type Options } from 'amqplib';
import { DLQ_HEADERS, REPLAY_HEADERS } from '@signalbox/instrumentation';
import type { BrokerSettings } from '@/lib/brokers/config';
import { fetchQueues } from '@/lib/brokers/rabbitmq-management';
import { looksLikeDlq } from '../names';
import { browseWithSession } from './browse-session';
import { KnownDlqNames } from './known-names';
import { contentKey, normaliseHeaders } from './headers';
import { deadLetterTargets, targetKey } from './rabbitmq-dlx';
import {
  type BrowseResult,
  type DlqAdapter,
  type DlqQueueInfo,
  type DlqRecord,
  type DlqSession,
  type OutgoingMessage,
  DlqBrokerError,
} from './types';

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
 * like a DLQ or that receives another queue's dead letters (x-dead-letter-exchange, rabbitmq-dlx.ts);
 * without it, the configured queues' `<queue>.dlq` and the configured DLQs.
 *
 * Replay holds each DLQ message unacked while its copy is published on a confirm channel, and acks it
 * only after RabbitMQ confirmed the copy and the job checkpointed it.
 */
export class RabbitMqDlqAdapter implements DlqAdapter {
  readonly system = 'rabbitmq' as const;
  readonly address: string;
  private connection: ChannelModel | null = null;

  private readonly configured: KnownDlqNames;

  constructor(
    private readonly settings: RabbitSettings,
    configured: KnownDlqNames | readonly string[] = [],
  ) {
    this.configured = KnownDlqNames.of(configured);
    const url = new URL(settings.url);
    this.address = `${url.protocol}//${url.host}`;
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

  async browse(queue: string, limit: number): Promise<BrowseResult> {
    return browseWithSession(await this.open(queue), limit);
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

/** Unacked deliveries the broker may push ahead of the replay. */
const PREFETCH = 1000;
/** No delivery for this long (with fewer than PREFETCH held) means the queue has nothing more ready. */
const IDLE_MS = 300;

/**
 * Reads with a consumer (prefetch PREFETCH) rather than one basic.get round-trip per message, which
 * capped replays near 1,000 msg/s. Messages the pass keeps (not selected, poison) stay unacked and
 * count against the prefetch; once PREFETCH of them are held the broker stops pushing, and the pass
 * goes on with basic.get, which the prefetch does not limit.
 */
class RabbitSession implements DlqSession {
  readonly cursor = null;
  private readonly held = new Map<DlqRecord, Message>();
  private readonly buffer: Message[] = [];
  private wake: (() => void) | null = null;
  private consumerTag: string | null = null;
  private byGet = false;
  private read = 0;

  /**
   * `size` = messages in the queue when the pass started: the pass reads no more, so copies that fail
   * again and come back while it runs are not replayed in a loop.
   */
  constructor(
    private readonly queue: string,
    private readonly channel: ConfirmChannel,
    private readonly size: number,
  ) {}

  async start(): Promise<void> {
    if (this.size === 0) return;
    await this.channel.prefetch(PREFETCH);
    const { consumerTag } = await this.channel.consume(
      this.queue,
      (message) => {
        if (message) this.buffer.push(message);
        this.wake?.();
      },
      { noAck: false },
    );
    this.consumerTag = consumerTag;
  }

  private async take(): Promise<Message | null> {
    let message = this.buffer.shift();
    if (!message && !this.byGet) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, IDLE_MS);
      });
      this.wake = null;
      message = this.buffer.shift();
      if (!message) {
        if (this.held.size < PREFETCH) return null;
        this.byGet = true;
      }
    }
    if (message) return message;
    const got = await this.channel.get(this.queue, { noAck: false });
    return got === false ? null : got;
  }

  async next(): Promise<DlqRecord | null> {
    if (this.read >= this.size) return null;
    const message = await this.take();
    if (!message) return null;
    this.read++;
    const headers = normaliseHeaders(message.properties.headers, false);
    const p = message.properties;
    const id = headers[DLQ_HEADERS.id];
    const record: DlqRecord = {
      key:
        typeof id === 'string' && id
          ? `dlq:${id}`
          : typeof p.messageId === 'string' && p.messageId
            ? `msg:${p.messageId}`
            : contentKey(message.content, headers),
      headers,
      rawHeaders: p.headers ?? {},
      body: message.content,
      messageKey: null,
      timestamp: typeof p.timestamp === 'number' ? new Date(p.timestamp * 1000).toISOString() : null,
      properties: pick(p as unknown as Record<string, unknown>),
    };
    this.held.set(record, message);
    return record;
  }

  async publish(target: string, messages: readonly OutgoingMessage[]): Promise<void> {
    const returned = new Set<string>();
    const onReturn = (m: { properties: { headers?: Record<string, unknown> } }) => {
      returned.add(String(m.properties.headers?.[REPLAY_HEADERS.id]));
    };
    this.channel.on('return', onReturn);
    try {
      await Promise.all(
        messages.map(
          (m) =>
            new Promise<void>((resolve, reject) => {
              const options: Options.Publish = {
                ...(m.properties as Options.Publish | undefined),
                headers: m.headers,
                persistent: true,
                mandatory: true,
              };
              this.channel.publish('', target, m.body, options, (err: unknown) => {
                if (err) reject(new DlqBrokerError(`RabbitMQ did not confirm the copy to ${target}`));
                else if (returned.has(m.headers[REPLAY_HEADERS.id] ?? '')) {
                  reject(new DlqBrokerError(`RabbitMQ could not route the copy: no queue named ${target}`));
                } else resolve();
              });
            }),
        ),
      );
    } finally {
      this.channel.off('return', onReturn);
    }
  }

  remove(records: readonly DlqRecord[]): Promise<void> {
    for (const record of records) {
      const message = this.held.get(record);
      if (!message) continue;
      this.channel.ack(message);
      this.held.delete(record);
    }
    return Promise.resolve();
  }

  async close(): Promise<void> {
    if (this.consumerTag) await this.channel.cancel(this.consumerTag).catch(() => undefined);
    // Everything still held or delivered goes back in place (requeue); closing the channel would too.
    this.channel.nackAll(true);
    this.buffer.length = 0;
    this.held.clear();
    await this.channel.close().catch(() => undefined);
  }
}

// AMQP properties a replay keeps. Left out: `expiration` (the copy could expire before it is
// processed), `userId` (RabbitMQ rejects a publish whose user-id is not the connection's user), and
// `headers` (rebuilt by the replay).
function pick(p: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of [
    'contentType',
    'contentEncoding',
    'correlationId',
    'replyTo',
    'messageId',
    'timestamp',
    'type',
    'appId',
    'priority',
  ]) {
    if (p[k] !== undefined && p[k] !== null) out[k] = p[k];
  }
  return out;
}
