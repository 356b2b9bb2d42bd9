import type { IClientPublishOptions, MqttClient, OnMessageCallback } from 'mqtt';
import { wrapOnce, wrapperOf } from '../../messaging/wrap-once.js';
import { delegate } from '../../delegate.js';
import { beginProcess } from '../../messaging/consume.js';
import { recordDelivery, type Delivery } from '../../messaging/delivery.js';
import type { MessagingOperation } from '../../messaging/operation.js';
import { beginSend } from '../../messaging/produce.js';
import { resolveRuntime, type MessagingRuntime } from '../../messaging/runtime.js';
import type { MessagingInstrumentationOptions } from '../../options.js';
import { mqttUserPropertiesCarrier } from './properties.js';
import { MESSAGING_OPERATION_TYPE_PROCESS } from '../../semconv.js';
import { guarded, type MessagingSpanInfo } from '../../spans.js';
import {
  destinationInfo,
  hasMqttWildcard,
  mqttTopicMatches,
  setConcreteDestination,
  templateFor,
  type DestinationTemplates,
} from '../destination-template.js';

/** `messaging.system` for MQTT (no well-known value in the conventions; a custom one). */
export const MESSAGING_SYSTEM_MQTT = 'mqtt';

/** Options of {@link instrumentMqttClient}. */
export interface MqttInstrumentationOptions extends MessagingInstrumentationOptions {
  /**
   * Templates for per-entity topics (`sensors/+/temperature`, `devices/#`), or
   * a function returning one. Spans are named after the template and metrics
   * carry it instead of the topic. Without one, a message received through a
   * wildcard subscription made on the wrapped client uses that filter.
   */
  topicTemplates?: DestinationTemplates;
}

interface Subscribed {
  filter: string;
  group: string | undefined;
}

// Subscriptions remembered per client, to name messages after the wildcard
// filter that brought them. Bounded: a client subscribing to ever-new topics
// must not grow memory (the newest are dropped, the templates stay).
const MAX_SUBSCRIPTIONS = 1000;

// `$share/<group>/<filter>` (MQTT 5 shared subscriptions) names a consumer group.
function parseFilter(topic: string): Subscribed {
  const shared = /^\$share\/([^/]+)\/(.+)$/.exec(topic);
  return shared ? { filter: shared[2] ?? topic, group: shared[1] } : { filter: topic, group: undefined };
}

function subscribedTopics(topic: unknown): string[] {
  if (typeof topic === 'string') return [topic];
  if (Array.isArray(topic)) return topic.filter((t): t is string => typeof t === 'string');
  if (typeof topic === 'object' && topic !== null) return Object.keys(topic);
  return [];
}

interface MqttState {
  runtime: MessagingRuntime;
  options: MqttInstrumentationOptions;
  client: MqttClient;
  subscriptions: Subscribed[];
  /** One delivery record per received packet, however many 'message' listeners run. */
  deliveries: WeakMap<object, Delivery>;
}

const isMqtt5 = (state: MqttState) => state.client.options?.protocolVersion === 5;

function topicInfo(
  state: MqttState,
  topic: string,
): { info: MessagingSpanInfo; template: string | undefined } {
  let template = templateFor(topic, state.options.topicTemplates, mqttTopicMatches);
  const match = state.subscriptions.find((sub) => mqttTopicMatches(sub.filter, topic));
  if (template === undefined && match && hasMqttWildcard(match.filter)) template = match.filter;
  const base: Omit<MessagingSpanInfo, 'destination'> = {
    system: MESSAGING_SYSTEM_MQTT,
    server: state.runtime.server,
  };
  if (match?.group) base.consumerGroup = match.group;
  return { info: destinationInfo(base, topic, template), template };
}

/** Starts the send; returns publish options carrying the context (MQTT 5 only) in a copy of the user properties. */
function preparePublish(
  state: MqttState,
  topic: string,
  opts: IClientPublishOptions | undefined,
): { operation: MessagingOperation; opts: IClientPublishOptions | undefined } {
  // MQTT 3.1.1 has no properties: spans and metrics only (mqtt.js drops them anyway).
  const userProperties = isMqtt5(state) ? Object.assign({}, opts?.properties?.userProperties) : undefined;
  const { info, template } = topicInfo(state, topic);
  const operation = beginSend(state.runtime, info, [mqttUserPropertiesCarrier(userProperties)]);
  setConcreteDestination(operation.span, topic, template);
  if (!userProperties) return { operation, opts };
  const properties = Object.assign({}, opts?.properties, { userProperties });
  return { operation, opts: Object.assign({}, opts, { properties }) };
}

type PublishCallback = (error?: Error, packet?: unknown) => void;

function publish(state: MqttState, proxy: () => MqttClient, args: unknown[]): MqttClient {
  const [topic, message, third, fourth] = args;
  const opts = (typeof third === 'function' ? undefined : third) as IClientPublishOptions | undefined;
  const callback = (typeof third === 'function' ? third : fourth) as PublishCallback | undefined;
  const prepared =
    typeof topic === 'string'
      ? guarded('mqtt publish instrumentation', () => preparePublish(state, topic, opts), undefined)
      : undefined;
  if (!prepared) {
    state.client.publish(...(args as Parameters<MqttClient['publish']>));
    return proxy();
  }
  const { operation } = prepared;
  // mqtt.js calls back once the packet is written (QoS 0) or acknowledged
  // (PUBACK / PUBCOMP for QoS 1 / 2); that is when the send is done.
  const done: PublishCallback = (error, packet) => {
    if (error) operation.fail(error);
    else operation.end();
    callback?.(error, packet);
  };
  try {
    operation.run(() => {
      state.client.publish(topic as string, message as string, prepared.opts ?? {}, done);
    });
  } catch (err) {
    operation.fail(err);
    throw err;
  }
  return proxy();
}

function wrapHandler(state: MqttState, handler: OnMessageCallback): OnMessageCallback {
  return (topic, payload, packet) => {
    const operation = guarded(
      'mqtt process instrumentation',
      () => {
        const { info, template } = topicInfo(state, topic);
        const carrier = mqttUserPropertiesCarrier(packet?.properties?.userProperties);
        // Recorded once per packet, even with several 'message' listeners.
        let delivery = state.deliveries.get(packet);
        if (!delivery) {
          delivery = recordDelivery(state.runtime, info, MESSAGING_OPERATION_TYPE_PROCESS, carrier, {
            redelivered: packet?.dup === true,
          });
          state.deliveries.set(packet, delivery);
        }
        const op = beginProcess(state.runtime, info, carrier, { delivery });
        setConcreteDestination(op.span, topic, template);
        return op;
      },
      undefined,
    );
    return operation ? operation.run(() => handler(topic, payload, packet)) : handler(topic, payload, packet);
  };
}

const LISTENER_METHODS = ['on', 'addListener', 'once', 'prependListener', 'prependOnceListener'] as const;
const REMOVE_METHODS = ['off', 'removeListener'] as const;

/**
 * Wraps an mqtt.js (v5) client without patching it: `publish` and
 * `publishAsync` emit a PRODUCER `send {topic}` span and, on MQTT 5, carry
 * trace context and the `signalbox-pathway` header as user properties (a copy
 * of yours; a `traceparent` you set is kept); `'message'` listeners run inside
 * a CONSUMER `process {topic}` span per message. On MQTT 3.1.1 (protocol
 * version 3 or 4) there are no user properties: spans and send metrics are
 * emitted, but no context crosses the broker and consumers record no latency.
 * Topics received through wildcard subscriptions made on the wrapped client
 * are named after the filter (see `topicTemplates`).
 */
export function instrumentMqttClient<T extends MqttClient>(
  client: T,
  options: MqttInstrumentationOptions = {},
): T {
  return wrapOnce(client, 'MQTT client', () => {
    const state: MqttState = {
      runtime: resolveRuntime(options),
      options,
      client,
      subscriptions: [],
      deliveries: new WeakMap(),
    };
    const wrappedHandlers = new WeakMap<(...args: never[]) => unknown, OnMessageCallback>();
    const remember = (topic: unknown) =>
      guarded('mqtt subscribe instrumentation', () => {
        for (const name of subscribedTopics(topic)) {
          const sub = parseFilter(name);
          if (state.subscriptions.length >= MAX_SUBSCRIPTIONS) return;
          if (!state.subscriptions.some((s) => s.filter === sub.filter)) state.subscriptions.push(sub);
        }
      });

    const overrides: Record<string, unknown> = {
      publish: (...args: unknown[]) => publish(state, () => proxy, args),
      publishAsync: (topic: string, message: string | Buffer, opts?: IClientPublishOptions) => {
        const prepared = guarded(
          'mqtt publish instrumentation',
          () => preparePublish(state, topic, opts),
          undefined,
        );
        if (!prepared) return client.publishAsync(topic, message, opts);
        return prepared.operation.run(() => client.publishAsync(topic, message, prepared.opts));
      },
      subscribe: (...args: Parameters<MqttClient['subscribe']>) => {
        remember(args[0]);
        client.subscribe(...args);
        return proxy;
      },
      subscribeAsync: (...args: Parameters<MqttClient['subscribeAsync']>) => {
        remember(args[0]);
        return client.subscribeAsync(...args);
      },
    };
    // mqtt.js declares only some EventEmitter methods on its typed client; all exist at run time.
    const emitter = client as unknown as Record<
      string,
      (event: string | symbol, listener: unknown) => unknown
    >;
    for (const method of LISTENER_METHODS) {
      overrides[method] = (event: string | symbol, listener: (...args: never[]) => unknown) => {
        let actual = listener;
        if (event === 'message' && typeof listener === 'function') {
          let wrapped = wrappedHandlers.get(listener);
          if (!wrapped) {
            wrapped = guarded(
              'mqtt listener instrumentation',
              () => wrapHandler(state, listener as OnMessageCallback),
              undefined,
            );
            if (wrapped) wrappedHandlers.set(listener, wrapped);
          }
          if (wrapped) actual = wrapped;
        }
        emitter[method]?.(event, actual);
        return proxy;
      };
    }
    for (const method of REMOVE_METHODS) {
      overrides[method] = (event: string | symbol, listener: (...args: never[]) => unknown) => {
        const actual = (event === 'message' && wrappedHandlers.get(listener)) || listener;
        emitter[method]?.(event, actual);
        return proxy;
      };
    }
    const proxy = delegate<MqttClient>(client, { ...overrides, ...wrapperOf(client) }) as T;
    return proxy;
  });
}
