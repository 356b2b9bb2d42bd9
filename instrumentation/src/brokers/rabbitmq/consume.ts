/*
 * amqplib consume, get and settle side, on the layer in ../messaging/.
 * Works for both the promise API and `amqplib/callback_api`: callbacks are
 * found by position and wrapped, everything else passes through.
 */
import { context } from '@opentelemetry/api';
import type { Channel, ConsumeMessage, GetMessage, Message, Options } from 'amqplib';
import { bypassContrib } from '../../messaging/coexist.js';
import {
  beginProcess,
  beginReceive,
  processMessage,
  type ProcessExtras,
  type ProcessOperation,
} from '../../messaging/consume.js';
import type { Delivery } from '../../messaging/delivery.js';
import { messageState } from '../../messaging/message-state.js';
import type { MessagingOperation } from '../../messaging/operation.js';
import type { MessagingRuntime } from '../../messaging/runtime.js';
import { recordSettle } from '../../messaging/settle.js';
import { amqpHeadersCarrier } from './headers.js';
import { ATTR_MESSAGING_RABBITMQ_MESSAGE_DELIVERY_TAG, MESSAGING_SYSTEM_RABBITMQ } from '../../semconv.js';
import { guarded, warnFailure, type MessagingSpanInfo } from '../../spans.js';
import { consumeDestination, isGeneratedName, messageAttributes } from './names.js';

interface TrackedMessage {
  runtime: MessagingRuntime;
  queue: string;
  /** The delivery's destination name and anonymity (the settle spans' too). */
  destination: string;
  anonymous: boolean;
  delivery: Delivery;
}

// Messages handed out by an instrumented consume or get, so their settle
// spans and processAmqpMessage know the destination and the creation context
// without re-reading headers. Held by the message object itself: garbage
// once the message is (see ../messaging/message-state.ts).
const tracked = messageState<TrackedMessage>();

/**
 * consumeDestination for the deliveries of one queue, remembering the last
 * exchange and routing key: a consumer usually sees one pair, and the name
 * is then built once rather than per message.
 */
function destinationsOf(queue: string): (exchange: string, routingKey: string) => string {
  let lastExchange: string | undefined;
  let lastRoutingKey: string | undefined;
  let last = '';
  return (exchange, routingKey) => {
    if (exchange !== lastExchange || routingKey !== lastRoutingKey) {
      last = consumeDestination(exchange, routingKey, queue);
      lastExchange = exchange;
      lastRoutingKey = routingKey;
    }
    return last;
  };
}

function deliveryInfo(
  runtime: MessagingRuntime,
  msg: Message,
  destination: string,
  anonymous: boolean,
): MessagingSpanInfo {
  const { routingKey, deliveryTag } = msg.fields;
  const attributes = messageAttributes(msg.properties.messageId, msg.properties.correlationId, routingKey);
  attributes[ATTR_MESSAGING_RABBITMQ_MESSAGE_DELIVERY_TAG] = deliveryTag;
  return {
    system: MESSAGING_SYSTEM_RABBITMQ,
    destination,
    anonymous,
    server: runtime.server,
    attributes,
  };
}

type OnMessage = (msg: ConsumeMessage | null) => unknown;

function wrapOnMessage(onMessage: OnMessage, queue: string, runtime: MessagingRuntime): OnMessage {
  const destinationOf = destinationsOf(queue);
  const anonymous = isGeneratedName(queue);
  return (msg) => {
    // null means RabbitMQ cancelled the consumer: not a message, no span.
    if (msg === null) return onMessage(msg);
    let operation: ProcessOperation | undefined;
    try {
      const destination = destinationOf(msg.fields.exchange, msg.fields.routingKey);
      operation = beginProcess(
        runtime,
        deliveryInfo(runtime, msg, destination, anonymous),
        amqpHeadersCarrier(msg.properties.headers),
        msg.fields.redelivered === true ? REDELIVERED : undefined,
      );
      tracked.set(msg, { runtime, queue, destination, anonymous, delivery: operation.delivery });
    } catch (err) {
      warnFailure('amqp process instrumentation', err);
    }
    if (!operation) return onMessage(msg);
    // The span covers the handler (awaited when it returns a promise), not the
    // time until ack: acking later, in a batch or never (noAck) must not
    // stretch or leak process spans.
    return operation.run(() => onMessage(msg));
  };
}

const REDELIVERED: ProcessExtras = Object.freeze({ redelivered: true });

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
    () => deliveryInfo(state.runtime, msg, state.destination, state.anonymous),
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
    if (delivery) {
      const { exchange, routingKey } = msg.fields;
      const destination = consumeDestination(exchange, routingKey, queue);
      tracked.set(msg, { runtime, queue, destination, anonymous: isGeneratedName(queue), delivery });
    }
  });
}

/**
 * The settle span's info: the delivery's destination (remembered when the
 * message was handed out, so nothing is rebuilt per ack) and its delivery tag.
 */
function settleInfo(
  runtime: MessagingRuntime,
  operationName: string,
  msg: Message | undefined,
  state: TrackedMessage | undefined,
): MessagingSpanInfo {
  if (!msg) {
    return { system: MESSAGING_SYSTEM_RABBITMQ, destination: '', server: runtime.server, operationName };
  }
  const queue = state?.queue ?? '';
  return {
    system: MESSAGING_SYSTEM_RABBITMQ,
    destination: state?.destination ?? consumeDestination(msg.fields.exchange, msg.fields.routingKey, queue),
    anonymous: state?.anonymous ?? isGeneratedName(queue),
    server: runtime.server,
    operationName,
    attributes: { [ATTR_MESSAGING_RABBITMQ_MESSAGE_DELIVERY_TAG]: msg.fields.deliveryTag },
  };
}

// amqplib settles fire-and-forget: no broker round trip to measure.
const UNMEASURED = Object.freeze({ measured: false });

function settle<T>(
  runtime: MessagingRuntime,
  operationName: string,
  msg: Message | undefined,
  call: () => T,
): T {
  let operation: MessagingOperation | undefined;
  try {
    const state = msg ? tracked.get(msg) : undefined;
    operation = recordSettle(
      runtime,
      settleInfo(runtime, operationName, msg, state),
      operationName,
      state?.delivery.creationContext,
      UNMEASURED,
    );
  } catch (err) {
    warnFailure(`amqp ${operationName} instrumentation`, err);
  }
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
