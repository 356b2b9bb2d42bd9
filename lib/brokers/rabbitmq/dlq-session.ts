import type { ConfirmChannel, Message, Options } from 'amqplib';
import { DLQ_HEADERS, REPLAY_HEADERS } from '@signalbox/instrumentation/protocol';
import { contentKey, normaliseHeaders } from '../dlq-headers';
import { type DlqRecord, type DlqSession, type OutgoingMessage, DlqBrokerError } from '../dlq-types';

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
export class RabbitSession implements DlqSession {
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
