import type { Attributes } from '@opentelemetry/api';
import type {
  ConsumeOptions,
  Consumer,
  ConsumerInfo,
  ConsumerMessages,
  FetchOptions,
  JetStreamClient,
  JetStreamPublishOptions,
  JsMsg,
  NextOptions,
  PubAck,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { wrapOnce, wrapperOf } from '../../messaging/wrap-once.js';
import { delegate } from '../../delegate.js';
import { beginProcess, beginReceive } from '../../messaging/consume.js';
import { recordDelivery } from '../../messaging/delivery.js';
import type { MessagingOperation } from '../../messaging/operation.js';
import { beginSend } from '../../messaging/produce.js';
import { recordSettle } from '../../messaging/settle.js';
import { natsHeadersCarrier } from './headers.js';
import {
  ATTR_MESSAGING_MESSAGE_ID,
  MESSAGING_OPERATION_TYPE_PROCESS,
  MESSAGING_OPERATION_TYPE_RECEIVE,
} from '../../semconv.js';
import { guarded, type MessagingSpanInfo } from '../../spans.js';
import {
  ATTR_MESSAGING_DESTINATION_SUBSCRIPTION_NAME,
  hasNatsWildcard,
  setConcreteDestination,
} from '../destination-template.js';
import {
  headersForPublish,
  natsRuntime,
  subjectInfo,
  trackNatsMessage,
  type NatsInstrumentationOptions,
  type NatsRuntime,
  type TrackedNatsMessage,
} from './connection.js';
import { streamRouteAttributes } from './stream-attributes.js';

/*
 * JetStream (@nats-io/jetstream v3). Destinations are subjects, as on the
 * producer side, so producer and consumer meet on the same name: a message is
 * processed under its subject (templated like core NATS), and a pull's
 * receive span is named after the consumer's single filter subject, else its
 * stream. The JetStream durable consumer is the consumer group. Consumption
 * also names the stream (`messaging.nats.stream.name`, on spans and metrics)
 * and the consumer (`messaging.destination.subscription.name`, spans only:
 * ephemeral consumers have generated names), so a backend can place the
 * stream between the subjects it captures and its consumers.
 */

interface ConsumerContext {
  /** Span info for pulls (receive spans). */
  receive: MessagingSpanInfo;
  /** The filter subject when it has wildcards: the template of the messages it delivers. */
  filterTemplate: string | undefined;
  group: string | undefined;
  name: string | undefined;
  stream: string | undefined;
}

async function consumerContext(nats: NatsRuntime, consumer: Consumer): Promise<ConsumerContext> {
  // Cached: `consumers.get` already fetched the info, so this costs no round trip.
  // Never rejects: without info the spans just lack a destination.
  let info: ConsumerInfo | undefined;
  try {
    info = await consumer.info(true);
  } catch {
    info = undefined;
  }
  const config = info?.config;
  const filters = config?.filter_subjects?.length
    ? config.filter_subjects
    : config?.filter_subject
      ? [config.filter_subject]
      : [];
  const single = filters.length === 1 ? filters[0] : undefined;
  const group = config?.durable_name ?? undefined;
  const extra: Omit<MessagingSpanInfo, 'destination' | 'system'> = {};
  if (group) extra.consumerGroup = group;
  if (info?.name) extra.attributes = { [ATTR_MESSAGING_DESTINATION_SUBSCRIPTION_NAME]: info.name };
  const routeAttributes = streamRouteAttributes(info?.stream_name);
  if (routeAttributes) extra.routeAttributes = routeAttributes;
  const filterTemplate = single && hasNatsWildcard(single) ? single : undefined;
  const destination = single ?? info?.stream_name ?? '';
  const { info: receive } = subjectInfo(nats, destination, extra, filterTemplate);
  return { receive, filterTemplate, group, name: info?.name, stream: info?.stream_name };
}

function messageId(msg: JsMsg): Attributes | undefined {
  const id = guarded('nats message id', () => msg.headers?.get('Nats-Msg-Id'), undefined);
  return id ? { [ATTR_MESSAGING_MESSAGE_ID]: id } : undefined;
}

interface HandedOver {
  msg: JsMsg;
  state?: TrackedNatsMessage;
}

/**
 * Records one JetStream delivery (under the message's subject, as the
 * producer named it) and returns the message wrapped with settle spans.
 */
function handOver(
  nats: NatsRuntime,
  ctx: ConsumerContext,
  msg: JsMsg,
  as: 'process' | 'receive',
): HandedOver {
  const state = guarded(
    'jetstream delivery',
    () => {
      const attributes = messageId(msg) ?? {};
      // The message says which stream and consumer delivered it, also when the consumer info could not be read.
      const consumer = msg.info.consumer || ctx.name;
      if (consumer) attributes[ATTR_MESSAGING_DESTINATION_SUBSCRIPTION_NAME] = consumer;
      const extra: Omit<MessagingSpanInfo, 'destination' | 'system'> = { attributes };
      if (ctx.group) extra.consumerGroup = ctx.group;
      const routeAttributes = streamRouteAttributes(msg.info.stream || ctx.stream);
      if (routeAttributes) extra.routeAttributes = routeAttributes;
      const { info, template } = subjectInfo(nats, msg.subject, extra, ctx.filterTemplate);
      const delivery = recordDelivery(
        nats.runtime,
        info,
        as === 'receive' ? MESSAGING_OPERATION_TYPE_RECEIVE : MESSAGING_OPERATION_TYPE_PROCESS,
        natsHeadersCarrier(msg.headers),
        { redelivered: msg.info.deliveryCount > 1 },
      );
      return { nats, info, subject: msg.subject, template, delivery };
    },
    undefined,
  );
  if (!state) return { msg };
  const proxy = guarded('jetstream settle instrumentation', () => withSettleSpans(msg, state), msg);
  trackNatsMessage(proxy, state);
  return { msg: proxy, state };
}

function withSettleSpans(msg: JsMsg, state: TrackedNatsMessage): JsMsg {
  const settle = (name: string, measured: boolean): MessagingOperation | undefined =>
    guarded(
      'jetstream settle instrumentation',
      () => {
        const op = recordSettle(state.nats.runtime, state.info, name, state.delivery.creationContext, {
          measured,
        });
        setConcreteDestination(op.span, state.subject, state.template);
        return op;
      },
      undefined,
    );
  // ack/nak/term/working only queue a protocol message (fire and forget);
  // ackAck waits for the server's confirmation, so only its duration is measured.
  const sync = (name: string, call: () => void) => (): void => {
    const op = settle(name, false);
    return op ? op.run(call) : call();
  };
  return delegate(msg, {
    ack: () => sync('ack', () => msg.ack())(),
    nak: (millis?: number) => sync('nak', () => msg.nak(millis))(),
    term: (reason?: string) => sync('term', () => msg.term(reason))(),
    working: () => sync('working', () => msg.working())(),
    ackAck: (opts?: Parameters<JsMsg['ackAck']>[0]) => {
      const op = settle('ack', true);
      return op ? op.run(() => msg.ackAck(opts)) : msg.ackAck(opts);
    },
  });
}

function wrapMessages(nats: NatsRuntime, ctx: ConsumerContext, messages: ConsumerMessages): ConsumerMessages {
  return delegate(messages, {
    [Symbol.asyncIterator]: () => {
      const iterator = messages[Symbol.asyncIterator]();
      return delegate(iterator, {
        next: async (...args: []) => {
          const result = await iterator.next(...args);
          return result.done
            ? result
            : { done: false, value: handOver(nats, ctx, result.value, 'receive').msg };
        },
      });
    },
  });
}

function processCallback(nats: NatsRuntime, ctx: ConsumerContext, callback: (msg: JsMsg) => unknown) {
  return (msg: JsMsg): unknown => {
    const { msg: wrapped, state } = handOver(nats, ctx, msg, 'process');
    const operation = guarded(
      'jetstream process instrumentation',
      () => {
        if (!state) return undefined;
        const op = beginProcess(nats.runtime, state.info, natsHeadersCarrier(msg.headers), {
          delivery: state.delivery,
        });
        setConcreteDestination(op.span, state.subject, state.template);
        return op;
      },
      undefined,
    );
    return operation ? operation.run(() => callback(wrapped)) : callback(wrapped);
  };
}

function instrumentConsumer<T extends Consumer>(nats: NatsRuntime, consumer: T): T {
  let ctx: Promise<ConsumerContext> | undefined;
  const context = () => (ctx ??= consumerContext(nats, consumer));
  const overrides: Partial<Consumer> = {
    next: async (opts?: NextOptions) => {
      const c = await context();
      const op = guarded(
        'jetstream receive instrumentation',
        () => beginReceive(nats.runtime, c.receive),
        undefined,
      );
      if (!op) return consumer.next(opts);
      // Counted and linked before the receive span ends (run ends it when this settles).
      return op.run(async () => {
        const msg = await consumer.next(opts);
        if (!msg) return msg;
        const handed = handOver(nats, c, msg, 'receive');
        const creation = handed.state?.delivery.creationContext;
        if (creation) guarded('jetstream receive link', () => op.span.addLink({ context: creation }));
        return handed.msg;
      });
    },
    fetch: async (opts?: FetchOptions) => wrapMessages(nats, await context(), await consumer.fetch(opts)),
    consume: async (opts?: ConsumeOptions) => {
      const c = await context();
      const callback = (opts as { callback?: (msg: JsMsg) => unknown } | undefined)?.callback;
      if (callback) {
        return consumer.consume(Object.assign({}, opts, { callback: processCallback(nats, c, callback) }));
      }
      return wrapMessages(nats, c, await consumer.consume(opts));
    },
  };
  return delegate<Consumer>(consumer, { ...overrides, ...wrapperOf(consumer) }) as T;
}

/**
 * Wraps a JetStream consumer (from `js.consumers.get(...)` on an unwrapped
 * client) so `next`, `fetch` and `consume` count every message handed over
 * (consumed, redeliveries, edge and pathway latency), `next` gets a CLIENT
 * `receive` span, `consume({ callback })` a CONSUMER `process {subject}` span
 * around the callback, and the messages' `ack`/`nak`/`term`/`working`/`ackAck`
 * settle spans. For the iterator forms run your code in `processNatsMessage`.
 */
export function instrumentJetStreamConsumer<T extends Consumer>(
  consumer: T,
  options?: NatsInstrumentationOptions,
): T {
  return wrapOnce(consumer, 'JetStream consumer', () => {
    const nats = natsRuntime({} as NatsConnection, options);
    return instrumentConsumer(nats, consumer);
  });
}

/**
 * Wraps a JetStream client (`jetstream(nc)` from `@nats-io/jetstream` v3, made
 * from the ORIGINAL connection) without patching it: `publish` emits a
 * PRODUCER `send {subject}` span with trace context and the pathway header in
 * the headers (see the `headers` option), and consumers obtained through
 * `js.consumers` are wrapped as by {@link instrumentJetStreamConsumer}.
 */
export function instrumentJetStream<T extends JetStreamClient>(
  js: T,
  options?: NatsInstrumentationOptions,
): T {
  return wrapOnce(js, 'JetStream client', () => {
    const nc = (js as unknown as { nc?: NatsConnection }).nc ?? ({} as NatsConnection);
    const nats = natsRuntime(nc, options);
    const consumers = js.consumers;
    // Each way of getting a consumer returns it wrapped; called as methods of the real API object.
    const api = consumers as unknown as Record<string, (...args: unknown[]) => Promise<Consumer>>;
    const wrapGetter =
      (name: string) =>
      async (...args: unknown[]) => {
        const consumer = await api[name]?.(...args);
        if (!consumer) return consumer;
        return guarded(
          'jetstream consumer instrumentation',
          () => instrumentConsumer(nats, consumer),
          consumer,
        );
      };
    const getters = ['get', 'getPushConsumer'].filter((name) => typeof api[name] === 'function');
    const wrappedConsumers = delegate(
      consumers,
      Object.fromEntries(getters.map((name) => [name, wrapGetter(name)])) as Partial<typeof consumers>,
    );

    return delegate<JetStreamClient>(js, {
      ...wrapperOf(js),
      consumers: wrappedConsumers,
      publish: async (
        subject: string,
        payload?: unknown,
        publishOptions?: Partial<JetStreamPublishOptions>,
      ): Promise<PubAck> => {
        const prepared = guarded(
          'jetstream publish instrumentation',
          () => {
            const headers = headersForPublish(nats, publishOptions?.headers);
            const extra = publishOptions?.msgID
              ? { attributes: { [ATTR_MESSAGING_MESSAGE_ID]: publishOptions.msgID } }
              : {};
            const { info, template } = subjectInfo(nats, subject, extra);
            const operation = beginSend(nats.runtime, info, [natsHeadersCarrier(headers)]);
            setConcreteDestination(operation.span, subject, template);
            return {
              operation,
              options: headers ? Object.assign({}, publishOptions, { headers }) : publishOptions,
            };
          },
          undefined,
        );
        const publish = () =>
          js.publish(subject, payload as Uint8Array, prepared ? prepared.options : publishOptions);
        return prepared ? prepared.operation.run(publish) : publish();
      },
    }) as T;
  });
}
