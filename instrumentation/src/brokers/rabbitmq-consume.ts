/*
 * amqplib consume, get and settle side, on the layer in ../messaging/.
 * Works for both the promise API and `amqplib/callback_api`: callbacks are
 * found by position and wrapped, everything else passes through.
 */
import { context, type Attributes } from '@opentelemetry/api';
import type { Channel, ConsumeMessage, GetMessage, Message, Options } from 'amqplib';
import { bypassContrib } from '../auto/coexist.js';
import { beginProcess, beginReceive, processMessage } from '../messaging/consume.js';
import type { Delivery } from '../messaging/delivery.js';
import type { MessagingRuntime } from '../messaging/runtime.js';
import { recordSettle } from '../messaging/settle.js';
import { amqpHeadersCarrier } from '../propagation/amqp-headers.js';
import { ATTR_MESSAGING_RABBITMQ_MESSAGE_DELIVERY_TAG, MESSAGING_SYSTEM_RABBITMQ } from '../semconv.js';
import { guarded, type MessagingSpanInfo } from '../spans.js';
import { consumeDestination, isGeneratedName, messageAttributes } from './rabbitmq.js';

interface TrackedMessage {
  runtime: MessagingRuntime;
  queue: string;
  delivery: Delivery;
}

// Messages handed out by an instrumented consume or get, so their settle
// spans and processAmqpMessage know the destination and the creation context
// without re-reading headers. Weak: a message is garbage once handled.
const tracked = new WeakMap<Message, TrackedMessage>();

function deliveryInfo(runtime: MessagingRuntime, msg: Message, queue: string): MessagingSpanInfo {
  const { exchange, routingKey, deliveryTag } = msg.fields;
  const attributes = messageAttributes(msg.properties.messageId, msg.properties.correlationId, routingKey);
  attributes[ATTR_MESSAGING_RABBITMQ_MESSAGE_DELIVERY_TAG] = deliveryTag;
  return {
    system: MESSAGING_SYSTEM_RABBITMQ,
    destination: consumeDestination(exchange, routingKey, queue),
    anonymous: isGeneratedName(queue),
    server: runtime.server,
    attributes,
  };
}

type OnMessage = (msg: ConsumeMessage | null) => unknown;

function wrapOnMessage(onMessage: OnMessage, queue: string, runtime: MessagingRuntime): OnMessage {
  return (msg) => {
    // null means RabbitMQ cancelled the consumer: not a message, no span.
    if (msg === null) return onMessage(msg);
    const operation = guarded(
      'amqp process instrumentation',
      () => {
        const process = beginProcess(
          runtime,
          deliveryInfo(runtime, msg, queue),
          amqpHeadersCarrier(msg.properties.headers),
          { redelivered: msg.fields.redelivered === true },
        );
        tracked.set(msg, { runtime, queue, delivery: process.delivery });
        return process;
      },
      undefined,
    );
    if (!operation) return onMessage(msg);
    // The span covers the handler (awaited when it returns a promise), not the
    // time until ack: acking later, in a batch or never (noAck) must not
    // stretch or leak process spans.
    return operation.run(() => onMessage(msg));
  };
}

/**
 * Runs `handler` for a message fetched with `get` on an instrumented channel
 * inside its own CONSUMER `process {destination}` span, linked to (or, per
 * parentMode, parented on) the producer, so sends in the handler continue its
 * pathway. For other messages it just calls `handler`. Returns what `handler`
 * returns; its errors are recorded and rethrown unchanged.
 */
export function processAmqpMessage<T>(msg: Message, handler: () => T): T {
  const state = guarded('amqp message lookup', () => tracked.get(msg), undefined);
  if (!state) return handler();
  const info = guarded(
    'amqp process instrumentation',
    () => deliveryInfo(state.runtime, msg, state.queue),
    undefined,
  );
  if (!info) return handler();
  return processMessage(state.runtime, info, amqpHeadersCarrier(msg.properties.headers), handler, {
    delivery: state.delivery,
  });
}

type GetCallback = (err: unknown, msg: GetMessage | false) => unknown;

function getOperation(runtime: MessagingRuntime, queue: string) {
  return beginReceive(runtime, {
    system: MESSAGING_SYSTEM_RABBITMQ,
    destination: queue,
    anonymous: isGeneratedName(queue),
    server: runtime.server,
  });
}

function received(
  operation: ReturnType<typeof getOperation>,
  runtime: MessagingRuntime,
  queue: string,
  msg: GetMessage | false,
) {
  guarded('amqp receive instrumentation', () => {
    if (!msg) {
      operation.received([]);
      return;
    }
    const [delivery] = operation.received(
      [amqpHeadersCarrier(msg.properties.headers)],
      [{ redelivered: msg.fields.redelivered === true }],
    );
    if (delivery) tracked.set(msg, { runtime, queue, delivery });
  });
}

function settleInfo(runtime: MessagingRuntime, msg: Message | undefined): MessagingSpanInfo {
  const state = msg ? tracked.get(msg) : undefined;
  if (!msg) return { system: MESSAGING_SYSTEM_RABBITMQ, destination: '', server: runtime.server };
  const info = deliveryInfo(runtime, msg, state?.queue ?? '');
  const attributes: Attributes = {};
  attributes[ATTR_MESSAGING_RABBITMQ_MESSAGE_DELIVERY_TAG] = msg.fields.deliveryTag;
  return Object.assign({}, info, { attributes });
}

function settle<T>(
  runtime: MessagingRuntime,
  operationName: string,
  msg: Message | undefined,
  call: () => T,
): T {
  const operation = guarded(
    `amqp ${operationName} instrumentation`,
    () =>
      recordSettle(
        runtime,
        settleInfo(runtime, msg),
        operationName,
        msg ? tracked.get(msg)?.delivery.creationContext : undefined,
        // amqplib settles fire-and-forget: no broker round trip to measure.
        { measured: false },
      ),
    undefined,
  );
  return operation ? operation.run(call) : call();
}

/** The consume / get / settle overrides for {@link instrumentAmqpChannel}'s proxy. */
export function consumeOverrides(channel: Channel, runtime: MessagingRuntime): Partial<Channel> {
  const consume = bypassContrib(channel, 'consume') as (...args: unknown[]) => unknown;
  const get = bypassContrib(channel, 'get') as (...args: unknown[]) => unknown;
  const ack = bypassContrib(channel, 'ack');
  const nack = bypassContrib(channel, 'nack');
  const reject = bypassContrib(channel, 'reject');
  const ackAll = bypassContrib(channel, 'ackAll');
  const nackAll = bypassContrib(channel, 'nackAll');
  const overrides = {
    consume: (queue: string, onMessage: OnMessage, ...rest: unknown[]) => {
      const wrapped = guarded(
        'amqp consume instrumentation',
        () => wrapOnMessage(onMessage, queue, runtime),
        onMessage,
      );
      return consume(queue, wrapped, ...rest);
    },
    get: (queue: string, getOptions?: Options.Get | GetCallback, ...rest: unknown[]) => {
      const operation = guarded('amqp get instrumentation', () => getOperation(runtime, queue), undefined);
      if (!operation) return get(queue, getOptions, ...rest);
      // Callback API: get(queue, options, cb).
      const [callback] = rest;
      if (typeof callback === 'function') {
        const wrapped: GetCallback = (err, msg) => {
          if (err) operation.fail(err);
          else {
            received(operation, runtime, queue, msg);
            operation.end();
          }
          return (callback as GetCallback)(err, msg);
        };
        // Not operation.run: the operation ends in the callback, not when get returns.
        try {
          return context.with(operation.context, () => get(queue, getOptions, wrapped));
        } catch (err) {
          operation.fail(err);
          throw err;
        }
      }
      return operation.run(() =>
        (get(queue, getOptions, ...rest) as Promise<GetMessage | false>).then((msg) => {
          received(operation, runtime, queue, msg);
          return msg;
        }),
      );
    },
    ack: (message: Message, allUpTo?: boolean) =>
      settle(runtime, 'ack', message, () => ack(message, allUpTo)),
    nack: (message: Message, allUpTo?: boolean, requeue?: boolean) =>
      settle(runtime, 'nack', message, () => nack(message, allUpTo, requeue)),
    reject: (message: Message, requeue?: boolean) =>
      settle(runtime, 'reject', message, () => reject(message, requeue)),
    ackAll: () => settle(runtime, 'ack', undefined, () => ackAll()),
    nackAll: (requeue?: boolean) => settle(runtime, 'nack', undefined, () => nackAll(requeue)),
  };
  return overrides as unknown as Partial<Channel>;
}
