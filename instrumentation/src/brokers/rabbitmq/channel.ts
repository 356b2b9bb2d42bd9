/*
 * amqplib adapter (promise API `amqplib` and callback API
 * `amqplib/callback_api`, channels and confirm channels). Spans, metrics,
 * propagation and the pathway header come from the broker-independent layer
 * in ../messaging/ (see "How a broker adapter is written" in the README);
 * this file maps amqplib's publish side onto it, ./consume.ts the
 * consume, get and settle side.
 *
 * Destination names follow rabbitmq.md (semconv v1.44):
 * - send:    `{exchange}:{routing key}`, or whichever one is non-empty, else `amq.default`;
 * - process: `{exchange}:{routing key}:{queue}` without the empty parts, and
 *            with only one of routing key and queue when they are equal.
 * So `sendToQueue('payments')` (default exchange, routing key `payments`) and
 * a consumer of queue `payments` both report `payments`, which is what lets
 * the dashboard join producer and consumer by destination.
 */
import { context } from '@opentelemetry/api';
import type { Channel, ConfirmChannel, Options } from 'amqplib';
import { bypassContrib, patchedOnChain, suppressOtherInstrumentation } from '../../messaging/coexist.js';
import { wrapOnce, wrapperOf } from '../../messaging/wrap-once.js';
import { delegate } from '../../delegate.js';
import type { MessagingOperation } from '../../messaging/operation.js';
import { beginSend } from '../../messaging/produce.js';
import { resolveRuntime, type MessagingRuntime } from '../../messaging/runtime.js';
import type { MessagingInstrumentationOptions } from '../../options.js';
import { amqpHeadersCarrier } from './headers.js';
import { asHeaderTable } from '../../propagation/header-table.js';
import { MESSAGING_SYSTEM_RABBITMQ } from '../../semconv.js';
import { warnFailure } from '../../spans.js';
import { consumeOverrides } from './consume.js';
import { isGeneratedName, messageAttributes, publishDestination } from './names.js';

interface PreparedPublish {
  operation: MessagingOperation;
  options: Options.Publish | undefined;
}

/**
 * Starts the send and returns publish options whose `headers` is a COPY of
 * the caller's with trace context and the pathway header added: callers reuse
 * option objects across publishes, and a traceparent left in a shared object
 * would be taken for a user-supplied creation context on the next publish.
 */
function preparePublish(
  runtime: MessagingRuntime,
  exchange: string,
  routingKey: string,
  options: Options.Publish | undefined,
): PreparedPublish {
  const original: unknown = options?.headers;
  const originalTable = asHeaderTable(original);
  // Headers that are not a table are the caller's business (amqplib will
  // reject or encode them); we neither replace nor write into them.
  const canInject = original === undefined || original === null || originalTable !== undefined;
  // Object.assign, not spread: see assignAttributes in ../spans.ts.
  const headers: Record<string, unknown> = Object.assign({}, originalTable);
  const operation = beginSend(
    runtime,
    {
      system: MESSAGING_SYSTEM_RABBITMQ,
      destination: publishDestination(exchange, routingKey),
      anonymous: exchange === '' && isGeneratedName(routingKey),
      server: runtime.server,
      messageAttributes: [messageAttributes(options?.messageId, options?.correlationId, routingKey)],
    },
    [amqpHeadersCarrier(canInject ? headers : undefined)],
  );
  let publishOptions = options;
  if (canInject) {
    publishOptions = Object.assign({}, options);
    publishOptions.headers = headers;
  }
  // The AMQP `timestamp` property (seconds since the epoch) is what RabbitMQ
  // reports as a queue's head_message_timestamp, the only way to know how old
  // its oldest message is, i.e. lag in seconds. Set it when the publisher
  // left it empty; a timestamp the publisher set is theirs and kept.
  if (publishOptions?.timestamp === undefined) {
    publishOptions = Object.assign({}, publishOptions, { timestamp: Math.floor(Date.now() / 1000) });
  }
  return { operation, options: publishOptions };
}

type PublishFn = (
  exchange: string,
  routingKey: string,
  content: Buffer,
  options?: Options.Publish,
  ...rest: unknown[]
) => boolean;

/**
 * One instrumented publish. A confirm channel's callback (promise or
 * callback API) ends the span when the broker confirms, recording a nack as
 * an error; without a callback the span ends when publish returns, which is
 * all amqplib tells us (the message is then in the channel's buffer).
 * `rest` is what followed the options (the confirm callback, if any).
 */
function publishInstrumented(
  runtime: MessagingRuntime,
  publish: PublishFn,
  suppressContrib: boolean,
  exchange: string,
  routingKey: string,
  content: Buffer,
  publishOptions: Options.Publish | undefined,
  rest: unknown[],
): boolean {
  let prepared: PreparedPublish | undefined;
  try {
    prepared = preparePublish(runtime, exchange, routingKey, publishOptions);
  } catch (err) {
    warnFailure('amqp publish instrumentation', err);
  }
  if (!prepared) return publish(exchange, routingKey, content, publishOptions, ...rest);
  const { operation } = prepared;
  const callContext = suppressContrib ? suppressOtherInstrumentation(operation.context) : operation.context;
  const callback = rest[0];
  let result: boolean;
  try {
    if (typeof callback === 'function') {
      const confirm = (err: unknown, ok: unknown): unknown => {
        if (err) operation.fail(err);
        else operation.end();
        return (callback as (err: unknown, ok: unknown) => unknown)(err, ok);
      };
      const others = rest.slice(1);
      result = context.with(callContext, () =>
        publish(exchange, routingKey, content, prepared.options, confirm, ...others),
      );
    } else {
      result = context.with(
        callContext,
        publish,
        undefined,
        exchange,
        routingKey,
        content,
        prepared.options,
        ...rest,
      );
    }
  } catch (err) {
    operation.fail(err);
    throw err;
  }
  if (typeof callback !== 'function') operation.end();
  return result;
}

/**
 * Wraps an amqplib channel or confirm channel, from the promise API or the
 * callback API, so that:
 * - `publish` / `sendToQueue` emit PRODUCER `send {destination}` spans and
 *   carry trace context and the pathway header in a copy of your
 *   `options.headers` (a `traceparent` you set is never overwritten); on a
 *   confirm channel with a callback the span ends at the broker's confirm;
 * - `consume` runs your handler inside a CONSUMER `process {destination}`
 *   span that ends when the handler returns (or its promise settles), not at ack;
 * - `get` emits a CLIENT `receive {queue}` span; {@link processAmqpMessage}
 *   gives a fetched message a process span;
 * - `ack` / `nack` / `reject` / `ackAll` / `nackAll` emit CLIENT settle spans.
 * Every other method, and the confirm callbacks, behave exactly as on the
 * original channel.
 */
export function instrumentAmqpChannel<T extends Channel | ConfirmChannel>(
  channel: T,
  options?: MessagingInstrumentationOptions,
): T {
  return wrapOnce(channel, 'amqplib channel', () => {
    const runtime = resolveRuntime(options);
    // The original publish on the real channel: sendToQueue is routed through
    // it directly rather than through amqplib's own sendToQueue, whose internal
    // this.publish would otherwise reach a contrib patch.
    const publish = bypassContrib(channel as unknown as { publish: PublishFn }, 'publish');
    const suppressContrib = patchedOnChain(channel, ['publish']);

    // Typed against Channel (what every T shares); the proxy keeps T's shape.
    const instrumented = delegate<Channel>(channel, {
      ...wrapperOf(channel),
      publish: (
        exchange: string,
        routingKey: string,
        content: Buffer,
        publishOptions?: Options.Publish,
        ...rest: unknown[]
      ): boolean =>
        publishInstrumented(
          runtime,
          publish,
          suppressContrib,
          exchange,
          routingKey,
          content,
          publishOptions,
          rest,
        ),
      // amqplib defines sendToQueue as publish('', queue, ...) on every channel kind.
      sendToQueue: (queue: string, content: Buffer, publishOptions?: Options.Publish, ...rest: unknown[]) =>
        publishInstrumented(runtime, publish, suppressContrib, '', queue, content, publishOptions, rest),
      ...consumeOverrides(channel, runtime),
    });
    return instrumented as T;
  });
}
