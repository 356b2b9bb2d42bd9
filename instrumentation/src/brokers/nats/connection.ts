import { diag } from '@opentelemetry/api';
import type {
  Msg,
  MsgCallback,
  MsgHdrs,
  NatsConnection,
  PublishOptions,
  Subscription,
  SubscriptionOptions,
} from '@nats-io/nats-core';
import { wrapOnce, wrapperOf } from '../../messaging/wrap-once.js';
import { delegate } from '../../delegate.js';
import { beginProcess } from '../../messaging/consume.js';
import { recordDelivery, type Delivery } from '../../messaging/delivery.js';
import { beginSend } from '../../messaging/produce.js';
import { resolveRuntime, type MessagingRuntime } from '../../messaging/runtime.js';
import type { MessagingInstrumentationOptions } from '../../options.js';
import { natsHeadersCarrier } from './headers.js';
import { MESSAGING_OPERATION_TYPE_PROCESS } from '../../semconv.js';
import { guarded, type MessagingSpanInfo } from '../../spans.js';
import {
  destinationInfo,
  hasNatsWildcard,
  natsSubjectMatches,
  setConcreteDestination,
  templateFor,
  type DestinationTemplates,
} from '../destination-template.js';

/** `messaging.system` for NATS (no well-known value in the conventions; a custom one). */
export const MESSAGING_SYSTEM_NATS = 'nats';

/** Options of the NATS wrappers. */
export interface NatsInstrumentationOptions extends MessagingInstrumentationOptions {
  /**
   * The `headers` function of `@nats-io/transport-node` (or `@nats-io/nats-core`).
   * This package never loads the NATS client itself, so it needs this to
   * create headers for a message you publish without any; without it such
   * messages get spans but carry no context (logged once). Messages you
   * publish with headers are always propagated (a copy of them is sent).
   */
  headers?: () => MsgHdrs;
  /**
   * Templates for tokenized subjects (`orders.*.created`, `telemetry.>`), or
   * a function returning one: spans are then named after the template and
   * metrics carry it instead of the subject. A wildcard subscription is its
   * own template for the messages it receives.
   */
  subjectTemplates?: DestinationTemplates;
}

/** What the NATS and JetStream wrappers share per wrapped object. */
export interface NatsRuntime {
  runtime: MessagingRuntime;
  options: NatsInstrumentationOptions;
  /** False when the server announced no header support (NATS < 2.2): spans only, no propagation. */
  headersSupported: () => boolean;
}

/** A message handed to the application by a wrapped subscription or consumer. */
export interface TrackedNatsMessage {
  nats: NatsRuntime;
  info: MessagingSpanInfo;
  subject: string;
  template: string | undefined;
  delivery: Delivery;
}

// Messages handed out by wrapped subscriptions/consumers, for processNatsMessage.
const tracked = new WeakMap<object, TrackedNatsMessage>();

export function trackNatsMessage(message: object, state: TrackedNatsMessage): void {
  tracked.set(message, state);
}

let warnedNoFactory = false;

/**
 * Headers to publish with: a copy of the caller's (same class, so the NATS
 * client encodes it as its own), else new ones from the `headers` factory.
 * Undefined when neither is possible. Never throws.
 */
export function headersForPublish(nats: NatsRuntime, given: MsgHdrs | undefined): MsgHdrs | undefined {
  if (!nats.headersSupported()) return undefined;
  return guarded(
    'nats headers',
    () => {
      if (given) {
        const Ctor = (given as { constructor?: unknown }).constructor;
        if (typeof Ctor !== 'function') return undefined;
        const copy = new (Ctor as new () => MsgHdrs)();
        for (const [key, values] of given) for (const value of values) copy.append(key, value);
        return copy;
      }
      if (nats.options.headers) return nats.options.headers();
      if (!warnedNoFactory) {
        warnedNoFactory = true;
        diag.warn(
          '@signalbox/instrumentation: a NATS message published without headers cannot carry trace context unless you pass `{ headers }` (from @nats-io/transport-node) to the NATS wrapper options. Logged once.',
        );
      }
      return undefined;
    },
    undefined,
  );
}

/** The span info for `subject`, templated per the options (or `fallbackTemplate`, a wildcard subscription). */
export function subjectInfo(
  nats: NatsRuntime,
  subject: string,
  extra: Omit<MessagingSpanInfo, 'destination' | 'system'> = {},
  fallbackTemplate?: string,
): { info: MessagingSpanInfo; template: string | undefined } {
  const template =
    templateFor(subject, nats.options.subjectTemplates, natsSubjectMatches) ?? fallbackTemplate;
  const info = destinationInfo(
    Object.assign({ system: MESSAGING_SYSTEM_NATS, server: nats.runtime.server }, extra),
    subject,
    template,
  );
  return { info, template };
}

function publishInstrumented(
  nats: NatsRuntime,
  nc: NatsConnection,
  subject: string,
  payload: unknown,
  options: Partial<PublishOptions> | undefined,
): void {
  const prepared = guarded(
    'nats publish instrumentation',
    () => {
      const headers = headersForPublish(nats, options?.headers);
      const { info, template } = subjectInfo(nats, subject);
      const operation = beginSend(nats.runtime, info, [natsHeadersCarrier(headers)]);
      setConcreteDestination(operation.span, subject, template);
      return { operation, options: headers ? Object.assign({}, options, { headers }) : options };
    },
    undefined,
  );
  const publish = () => nc.publish(subject, payload as Uint8Array, prepared ? prepared.options : options);
  return prepared ? prepared.operation.run(publish) : publish();
}

/** Records a delivery from a subscription and remembers it for processNatsMessage. */
function delivered(
  nats: NatsRuntime,
  msg: Msg,
  subscription: string,
  group: string | undefined,
): TrackedNatsMessage {
  const { info, template } = subjectInfo(
    nats,
    msg.subject,
    group ? { consumerGroup: group } : {},
    hasNatsWildcard(subscription) ? subscription : undefined,
  );
  const delivery = recordDelivery(
    nats.runtime,
    info,
    MESSAGING_OPERATION_TYPE_PROCESS,
    natsHeadersCarrier(msg.headers),
  );
  const state: TrackedNatsMessage = { nats, info, subject: msg.subject, template, delivery };
  tracked.set(msg, state);
  return state;
}

function wrapCallback(
  nats: NatsRuntime,
  callback: MsgCallback<Msg>,
  subject: string,
  group?: string,
): MsgCallback<Msg> {
  return (err, msg) => {
    // An error (permissions, timeout) is not a message: no span.
    if (err || !msg) return callback(err, msg);
    const operation = guarded(
      'nats process instrumentation',
      () => {
        const state = delivered(nats, msg, subject, group);
        const op = beginProcess(nats.runtime, state.info, natsHeadersCarrier(msg.headers), {
          delivery: state.delivery,
        });
        setConcreteDestination(op.span, msg.subject, state.template);
        return op;
      },
      undefined,
    );
    return operation ? operation.run(() => callback(err, msg)) : callback(err, msg);
  };
}

/** Iterator form: each message is counted as it is handed over; processNatsMessage gives it a span. */
function wrapIterable(nats: NatsRuntime, sub: Subscription, subject: string, group?: string): Subscription {
  return delegate(sub, {
    [Symbol.asyncIterator]: () => {
      const iterator = sub[Symbol.asyncIterator]();
      return delegate(iterator, {
        next: async (...args: []) => {
          const result = await iterator.next(...args);
          if (!result.done) guarded('nats delivery', () => delivered(nats, result.value, subject, group));
          return result;
        },
      });
    },
  });
}

// Replies to requests go to inbox subjects; they are RPC plumbing, not messaging.
const isInbox = (nc: NatsConnection, subject: string) => {
  const prefix = (nc as { options?: { inboxPrefix?: unknown } }).options?.inboxPrefix;
  return subject.startsWith(typeof prefix === 'string' && prefix !== '' ? prefix : '_INBOX');
};

export function natsRuntime(nc: NatsConnection, options: NatsInstrumentationOptions = {}): NatsRuntime {
  return {
    runtime: resolveRuntime(options),
    options,
    // nats.js reads the same flag from INFO before sending headers.
    headersSupported: () => (nc as { info?: { headers?: unknown } }).info?.headers !== false,
  };
}

/**
 * Wraps a NATS connection (`@nats-io/transport-node` v3) without patching it:
 * `publish` emits a PRODUCER `send {subject}` span and carries trace context
 * and the `signalbox-pathway` header in the message headers (a copy of yours;
 * see the `headers` option for messages published without any), and
 * `subscribe` gives every message a CONSUMER `process {subject}` span: around
 * your callback for `{ callback }` subscriptions, or, for the async iterator
 * form (which no context can cross), when you run your code in
 * {@link processNatsMessage}. On a server without header support, spans are
 * emitted without propagation. Create your JetStream client from the
 * ORIGINAL connection and wrap it with `instrumentJetStream`.
 */
export function instrumentNatsConnection<T extends NatsConnection>(
  nc: T,
  options?: NatsInstrumentationOptions,
): T {
  return wrapOnce(nc, 'NATS connection', () => {
    const nats = natsRuntime(nc, options);
    return delegate<NatsConnection>(nc, {
      ...wrapperOf(nc),
      publish: (subject: string, payload?: unknown, publishOptions?: Partial<PublishOptions>) =>
        publishInstrumented(nats, nc, subject, payload, publishOptions),
      subscribe: (subject: string, subscribeOptions?: SubscriptionOptions): Subscription => {
        if (isInbox(nc, subject)) return nc.subscribe(subject, subscribeOptions);
        const group = subscribeOptions?.queue;
        const callback = subscribeOptions?.callback;
        if (callback) {
          const wrapped = guarded(
            'nats subscribe instrumentation',
            () => wrapCallback(nats, callback, subject, group),
            callback,
          );
          return nc.subscribe(subject, Object.assign({}, subscribeOptions, { callback: wrapped }));
        }
        const sub = nc.subscribe(subject, subscribeOptions);
        return guarded('nats subscribe instrumentation', () => wrapIterable(nats, sub, subject, group), sub);
      },
    }) as T;
  });
}

/**
 * Runs `handler` for a message from a wrapped subscription or JetStream
 * consumer inside its own CONSUMER `process {subject}` span (linked to, or
 * per parentMode parented on, the producer), so that sends in the handler
 * continue its pathway. Async iterators cannot carry context into the loop
 * body, so this is how `for await` consumers get process spans. For other
 * messages it just calls `handler`. Returns what `handler` returns; errors are
 * recorded and rethrown unchanged.
 */
export function processNatsMessage<T>(msg: object, handler: () => T): T {
  const state = guarded('nats message lookup', () => tracked.get(msg), undefined);
  if (!state) return handler();
  const operation = guarded(
    'nats process instrumentation',
    () => {
      const headers = (msg as { headers?: MsgHdrs }).headers;
      const op = beginProcess(state.nats.runtime, state.info, natsHeadersCarrier(headers), {
        delivery: state.delivery,
      });
      setConcreteDestination(op.span, state.subject, state.template);
      return op;
    },
    undefined,
  );
  return operation ? operation.run(handler) : handler();
}
