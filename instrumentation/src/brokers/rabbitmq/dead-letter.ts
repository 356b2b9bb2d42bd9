import type { Channel, ConfirmChannel, Message, Options } from 'amqplib';
import { DLQ_HEADERS, isDeadLetterHeader } from '../../dlq/headers.js';
import { prepareDeadLetter, type DeadLetterOptions, type DeadLetterResult } from '../../dlq/prepare.js';
import { SYSTEM_RABBITMQ } from '../../dlq/system.js';
import { withDeadLetterTelemetry } from '../../dlq/telemetry.js';
import { count } from '../../dlq/values.js';

/** Options of {@link deadLetterAmqp}. */
export interface AmqpDeadLetterOptions extends DeadLetterOptions {
  /** The queue the message was consumed from (amqplib messages do not say). */
  queue: string;
  /**
   * Dead-letter queue, published to through the default exchange. Defaults to
   * `<queue>.dlq`. Ignored when `exchange` is set.
   */
  deadLetterQueue?: string;
  /** Publish to this exchange instead (with `routingKey`, default: the message's routing key). */
  exchange?: string;
  routingKey?: string;
}

export interface AmqpDeadLetterResult extends DeadLetterResult {
  /**
   * True when the broker confirmed the copy (a confirm channel was given).
   * On a plain channel amqplib only buffers the publish: it is not known
   * whether it arrived.
   */
  confirmed: boolean;
}

/** Default dead-letter queue for `queue`. */
export const amqpDeadLetterQueue = (queue: string) => `${queue}.dlq`;

function isConfirmChannel(channel: Channel | ConfirmChannel): channel is ConfirmChannel {
  return typeof (channel as Partial<ConfirmChannel>).waitForConfirms === 'function';
}

// Properties copied from the original. Left out on purpose: `expiration` (a
// per-message TTL would let the dead-letter copy expire, losing it) and
// `userId` (RabbitMQ closes the channel if it is not the publishing user).
function copyProperties(msg: Message, headers: Record<string, unknown>): Options.Publish {
  const p = msg.properties;
  const options: Options.Publish = { headers, persistent: true };
  if (p.contentType !== undefined) options.contentType = p.contentType as string;
  if (p.contentEncoding !== undefined) options.contentEncoding = p.contentEncoding as string;
  if (p.correlationId !== undefined) options.correlationId = p.correlationId as string;
  if (p.replyTo !== undefined) options.replyTo = p.replyTo as string;
  if (p.messageId !== undefined) options.messageId = p.messageId as string;
  if (p.timestamp !== undefined) options.timestamp = p.timestamp as number;
  if (p.type !== undefined) options.type = p.type as string;
  if (p.appId !== undefined) options.appId = p.appId as string;
  if (p.priority !== undefined) options.priority = p.priority as number;
  return options;
}

/**
 * Publishes on a confirm channel and resolves when the broker confirmed it.
 * `mandatory` makes RabbitMQ return an unroutable copy (no such queue, no
 * binding) before confirming it; that is turned into an error here, because
 * a confirm alone would report a dropped dead letter as a success.
 */
function publishConfirmed(
  channel: ConfirmChannel,
  exchange: string,
  routingKey: string,
  content: Buffer,
  options: Options.Publish,
  id: string,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let returned = false;
    const onReturn = (msg: Message) => {
      if (msg.properties.headers?.[DLQ_HEADERS.id] === id) returned = true;
    };
    channel.on('return', onReturn);
    try {
      channel.publish(exchange, routingKey, content, options, (err: unknown) => {
        channel.off('return', onReturn);
        if (err) reject(err instanceof Error ? err : new Error('RabbitMQ nacked the dead letter'));
        else if (returned) {
          reject(
            new Error(
              `RabbitMQ could not route the dead letter (exchange '${exchange}', routing key '${routingKey}'): declare the dead-letter queue and its binding first`,
            ),
          );
        } else resolve();
      });
    } catch (err) {
      // amqplib throws at once on a closed channel.
      channel.off('return', onReturn);
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

/**
 * Publishes a failed RabbitMQ message to a dead-letter queue: same body and
 * properties (persistent), its headers (including any `x-death` history) plus
 * the Signalbox `signalbox-dlq-*` set.
 *
 * Pass a confirm channel (`connection.createConfirmChannel()`): the promise
 * then resolves only once RabbitMQ confirmed the copy, and rejects if it was
 * nacked or could not be routed. Ack the original only after that:
 * `await deadLetterAmqp(ch, msg, { queue, error }); ch.ack(msg);`. On a plain
 * channel the copy is only handed to amqplib's buffer (`confirmed: false`).
 */
export async function deadLetterAmqp(
  channel: Channel | ConfirmChannel,
  msg: Message,
  options: AmqpDeadLetterOptions,
): Promise<AmqpDeadLetterResult> {
  const original = (msg.properties.headers ?? {}) as Record<string, unknown>;
  // Quorum queues count earlier returned deliveries; this one is one more.
  const returnedBefore = count(original['x-delivery-count']);
  const prepared = prepareDeadLetter(
    {
      system: SYSTEM_RABBITMQ,
      destination: options.queue,
      messageId: typeof msg.properties.messageId === 'string' ? msg.properties.messageId : undefined,
      headers: original,
      deliveryCount: returnedBefore === null ? undefined : returnedBefore + 1,
    },
    options,
  );
  const headers: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(original)) if (!isDeadLetterHeader(name)) headers[name] = value;
  Object.assign(headers, prepared.headers);

  const exchange = options.exchange ?? '';
  const routingKey =
    options.exchange !== undefined
      ? (options.routingKey ?? msg.fields.routingKey)
      : (options.deadLetterQueue ?? amqpDeadLetterQueue(options.queue));
  const publishOptions = copyProperties(msg, headers);
  const dlq = exchange === '' ? routingKey : `${exchange}:${routingKey}`;

  const confirmed = await withDeadLetterTelemetry(options, prepared.record, dlq, async () => {
    if (isConfirmChannel(channel)) {
      const mandatory = { ...publishOptions, mandatory: true };
      await publishConfirmed(channel, exchange, routingKey, msg.content, mandatory, prepared.record.id);
      return true;
    }
    channel.publish(exchange, routingKey, msg.content, publishOptions);
    return false;
  });
  return { id: prepared.record.id, deadLetterDestination: dlq, headers: prepared.headers, confirmed };
}
