import { context, trace, type Attributes, type Context, type Link, type Span } from '@opentelemetry/api';
import type { Channel, ConfirmChannel, ConsumeMessage, Options, Replies } from 'amqplib';
import { delegate } from '../delegate.js';
import { resolveOptions, type MessagingInstrumentationOptions, type ResolvedOptions } from '../options.js';
import { amqpHeadersCarrier } from '../propagation/amqp-headers.js';
import { extractSpanContext, injectContext, TRACEPARENT } from '../propagation/carrier.js';
import { asHeaderTable } from '../propagation/header-table.js';
import {
  ATTR_MESSAGING_MESSAGE_CONVERSATION_ID,
  ATTR_MESSAGING_MESSAGE_ID,
  ATTR_MESSAGING_RABBITMQ_DESTINATION_ROUTING_KEY,
  ATTR_MESSAGING_RABBITMQ_MESSAGE_DELIVERY_TAG,
  MESSAGING_SYSTEM_RABBITMQ,
  RABBITMQ_DEFAULT_EXCHANGE,
} from '../semconv.js';
import { guarded, runInSpans, startProcessSpan, startSendSpan } from '../spans.js';

/*
 * Destination names follow rabbitmq.md (semconv v1.44):
 * - send:    `{exchange}:{routing key}`, or whichever one is non-empty, else `amq.default`;
 * - process: `{exchange}:{routing key}:{queue}` without the empty parts, and
 *            with only one of routing key and queue when they are equal.
 * So `sendToQueue('payments')` (default exchange, routing key `payments`) and
 * a consumer of queue `payments` both report `payments`, which is what lets
 * the dashboard join producer and consumer by destination.
 */

/** `messaging.destination.name` of a publish. */
export function publishDestination(exchange: string, routingKey: string): string {
  if (exchange && routingKey) return `${exchange}:${routingKey}`;
  return exchange || routingKey || RABBITMQ_DEFAULT_EXCHANGE;
}

/** `messaging.destination.name` of a delivery from `queue`. */
export function consumeDestination(exchange: string, routingKey: string, queue: string): string {
  const parts = [exchange, routingKey, routingKey === queue ? '' : queue].filter((part) => part !== '');
  return parts.length > 0 ? parts.join(':') : RABBITMQ_DEFAULT_EXCHANGE;
}

// Server-named queues (`assertQueue('')`, RPC reply queues) are created per
// connection; RabbitMQ gives them this prefix. They mark the destination
// anonymous so span names stay low-cardinality.
const isGeneratedName = (name: string) => name.startsWith('amq.gen-');

function messageAttributes(messageId: unknown, correlationId: unknown): Attributes {
  const attributes: Attributes = {};
  if (typeof messageId === 'string' && messageId !== '') attributes[ATTR_MESSAGING_MESSAGE_ID] = messageId;
  if (typeof correlationId === 'string' && correlationId !== '') {
    attributes[ATTR_MESSAGING_MESSAGE_CONVERSATION_ID] = correlationId;
  }
  return attributes;
}

interface PreparedPublish {
  span: Span;
  context: Context;
  options: Options.Publish | undefined;
}

/**
 * Starts the send span and returns publish options whose `headers` is a COPY
 * of the caller's with the span's context injected: callers reuse option
 * objects across publishes, and a traceparent left in a shared object would be
 * taken for a user-supplied creation context on the next publish.
 */
function preparePublish(
  resolved: ResolvedOptions,
  exchange: string,
  routingKey: string,
  options: Options.Publish | undefined,
): PreparedPublish {
  const original: unknown = options?.headers;
  const originalTable = asHeaderTable(original);
  // Headers that are not a table are the caller's business (amqplib will
  // reject or encode them); we neither replace nor inject into them.
  const canInject = original === undefined || original === null || originalTable !== undefined;
  const headers: Record<string, unknown> = { ...originalTable };
  const carrier = amqpHeadersCarrier(headers);

  const links: Link[] = [];
  if (carrier.get(TRACEPARENT) !== undefined) {
    const userContext = extractSpanContext(carrier);
    if (userContext) links.push({ context: userContext });
  }

  const attributes = messageAttributes(options?.messageId, options?.correlationId);
  if (routingKey) attributes[ATTR_MESSAGING_RABBITMQ_DESTINATION_ROUTING_KEY] = routingKey;
  const span = startSendSpan(resolved.tracer, {
    system: MESSAGING_SYSTEM_RABBITMQ,
    destination: publishDestination(exchange, routingKey),
    anonymous: exchange === '' && isGeneratedName(routingKey),
    server: resolved.server,
    attributes,
    links,
  });
  const spanContext = trace.setSpan(context.active(), span);
  if (!canInject) return { span, context: spanContext, options };
  injectContext(carrier, spanContext);
  return { span, context: spanContext, options: { ...options, headers } };
}

type OnMessage = (msg: ConsumeMessage | null) => void;

function wrapOnMessage(onMessage: OnMessage, queue: string, resolved: ResolvedOptions): OnMessage {
  return (msg) => {
    // null means RabbitMQ cancelled the consumer: not a message, no span.
    if (msg === null) return onMessage(msg);
    const started = guarded(
      'amqp process instrumentation',
      () => {
        const { exchange, routingKey, deliveryTag } = msg.fields;
        const attributes = messageAttributes(msg.properties.messageId, msg.properties.correlationId);
        if (routingKey) attributes[ATTR_MESSAGING_RABBITMQ_DESTINATION_ROUTING_KEY] = routingKey;
        attributes[ATTR_MESSAGING_RABBITMQ_MESSAGE_DELIVERY_TAG] = deliveryTag;
        return startProcessSpan(
          resolved.tracer,
          {
            system: MESSAGING_SYSTEM_RABBITMQ,
            destination: consumeDestination(exchange, routingKey, queue),
            anonymous: isGeneratedName(queue),
            server: resolved.server,
            attributes,
          },
          extractSpanContext(amqpHeadersCarrier(msg.properties.headers)),
          resolved.parentMode,
        );
      },
      undefined,
    );
    if (!started) return onMessage(msg);
    // The span covers the handler (awaited when it returns a promise), not the
    // time until ack: acking later, in a batch or never (noAck) must not
    // stretch or leak process spans.
    return runInSpans([started.span], started.context, () => onMessage(msg));
  };
}

type PublishArgs = [
  exchange: string,
  routingKey: string,
  content: Buffer,
  options?: Options.Publish,
  ...rest: unknown[],
];
type SendToQueueArgs = [queue: string, content: Buffer, options?: Options.Publish, ...rest: unknown[]];

/**
 * Wraps an amqplib channel (or confirm channel) so that `publish` and
 * `sendToQueue` emit PRODUCER `send {destination}` spans and carry their trace
 * context in the message headers (a copy of your `options.headers`; a
 * `traceparent` you set is never overwritten), and `consume` runs your handler
 * inside a CONSUMER `process {destination}` span that ends when the handler
 * returns, or when its promise settles. Every other method, and the
 * confirm callbacks, behave exactly as on the original channel.
 */
export function instrumentAmqpChannel<T extends Channel | ConfirmChannel>(
  channel: T,
  options?: MessagingInstrumentationOptions,
): T {
  const resolved = resolveOptions(options);
  // Call the originals on the real channel: sendToQueue's internal
  // this.publish then does not reach our publish wrapper, and typed as
  // variadic, ConfirmChannel's extra callback argument passes through untouched.
  const original = channel as unknown as {
    publish(...args: unknown[]): boolean;
    sendToQueue(...args: unknown[]): boolean;
  };
  const publish = (...args: unknown[]) => original.publish(...args);
  const sendToQueue = (...args: unknown[]) => original.sendToQueue(...args);

  // Typed against Channel (what every T shares); the proxy keeps T's shape.
  const instrumented = delegate<Channel>(channel, {
    publish: (...args: PublishArgs): boolean => {
      const [exchange, routingKey, content, publishOptions, ...rest] = args;
      const prepared = guarded(
        'amqp publish instrumentation',
        () => preparePublish(resolved, exchange, routingKey, publishOptions),
        undefined,
      );
      if (!prepared) return publish(...args);
      return runInSpans([prepared.span], prepared.context, () =>
        publish(exchange, routingKey, content, prepared.options, ...rest),
      );
    },
    sendToQueue: (...args: SendToQueueArgs): boolean => {
      const [queue, content, publishOptions, ...rest] = args;
      const prepared = guarded(
        'amqp sendToQueue instrumentation',
        () => preparePublish(resolved, '', queue, publishOptions),
        undefined,
      );
      if (!prepared) return sendToQueue(...args);
      return runInSpans([prepared.span], prepared.context, () =>
        sendToQueue(queue, content, prepared.options, ...rest),
      );
    },
    consume: (
      queue: string,
      onMessage: OnMessage,
      consumeOptions?: Options.Consume,
    ): Promise<Replies.Consume> => {
      const wrapped = guarded(
        'amqp consume instrumentation',
        () => wrapOnMessage(onMessage, queue, resolved),
        onMessage,
      );
      return channel.consume(queue, wrapped, consumeOptions);
    },
  });
  return instrumented as T;
}
