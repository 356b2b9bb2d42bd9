import { EventEmitter } from 'node:events';
import { SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { Channel, ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { consumeDestination, publishDestination } from '../src/brokers/rabbitmq/names.js';
import { amqpHeadersCarrier, instrumentAmqpChannel } from '../src/index.js';
import { extractSpanContext } from '../src/propagation/carrier.js';
import { sameSpan, setupTracing } from './support/tracing.js';

const tracing = setupTracing();
afterAll(() => tracing.shutdown());
beforeEach(() => tracing.reset());
const options = { tracerProvider: tracing.provider };

const USER_TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
// Asymmetric matchers are typed `any`; typed once here.
const HASH: unknown = expect.stringMatching(/^[0-9a-f]{16}$/);
const PATHWAY_VALUE: unknown = expect.stringMatching(/^1:/);

type Published = { exchange: string; routingKey: string; options?: Options.Publish; rest: unknown[] };

/** Shaped like amqplib's channel, including sendToQueue calling this.publish internally. */
class FakeChannel extends EventEmitter {
  published: Published[] = [];
  onMessage?: (msg: ConsumeMessage | null) => void;
  acked: ConsumeMessage[] = [];
  publish(
    exchange: string,
    routingKey: string,
    _content: Buffer,
    options?: Options.Publish,
    ...rest: unknown[]
  ) {
    this.published.push({ exchange, routingKey, ...(options ? { options } : {}), rest });
    return true;
  }
  sendToQueue(queue: string, content: Buffer, options?: Options.Publish, ...rest: unknown[]) {
    return this.publish('', queue, content, options, ...rest);
  }
  consume(_queue: string, onMessage: (msg: ConsumeMessage | null) => void) {
    this.onMessage = onMessage;
    return Promise.resolve({ consumerTag: 'ctag-1' });
  }
  ack(message: ConsumeMessage) {
    this.acked.push(message);
  }
}

function delivery(queue: string, headers?: Record<string, unknown>, exchange = ''): ConsumeMessage {
  return {
    content: Buffer.from('{}'),
    fields: { deliveryTag: 7, redelivered: false, exchange, routingKey: queue, consumerTag: 'ctag-1' },
    properties: { headers, messageId: 'm-1', correlationId: 'order-9' } as ConsumeMessage['properties'],
  };
}

const wrap = (fake: FakeChannel) => instrumentAmqpChannel(fake as unknown as Channel, options);

describe('RabbitMQ destination names (semconv v1.44 rabbitmq.md)', () => {
  it.each([
    ['', 'payments', 'payments'],
    ['orders', 'eu', 'orders:eu'],
    ['logs', '', 'logs'],
    ['', '', 'amq.default'],
  ])('publish(%j, %j) -> %j', (exchange, routingKey, expected) => {
    expect(publishDestination(exchange, routingKey)).toBe(expected);
  });

  it.each([
    ['', 'payments', 'payments', 'payments'],
    ['orders', 'eu', 'orders-eu', 'orders:eu:orders-eu'],
    ['orders', 'q', 'q', 'orders:q'],
    ['logs', '', 'q1', 'logs:q1'],
  ])('deliver(%j, %j) from queue %j -> %j', (exchange, routingKey, queue, expected) => {
    expect(consumeDestination(exchange, routingKey, queue)).toBe(expected);
  });
});

describe('instrumentAmqpChannel: publish / sendToQueue', () => {
  it('sendToQueue emits exactly one send span, named after the queue, and injects into a header copy', () => {
    const fake = new FakeChannel();
    const userOptions: Options.Publish = {
      headers: { tenant: 'eu' },
      messageId: 'm-1',
      correlationId: 'order-9',
    };
    expect(wrap(fake).sendToQueue('payments', Buffer.from('{}'), userOptions)).toBe(true);

    expect(tracing.spans()).toHaveLength(1); // the internal this.publish is not instrumented twice
    const [span] = tracing.spans();
    expect(span?.name).toBe('send payments');
    expect(span?.kind).toBe(SpanKind.PRODUCER);
    expect(span?.attributes).toEqual({
      'messaging.system': 'rabbitmq',
      'messaging.operation.name': 'send',
      'messaging.operation.type': 'send',
      'messaging.destination.name': 'payments',
      'messaging.rabbitmq.destination.routing_key': 'payments',
      'messaging.message.id': 'm-1',
      'messaging.message.conversation_id': 'order-9',
      'signalbox.pathway.hash': HASH,
      'signalbox.pathway.parent_hash': '',
    });
    const sent = fake.published[0]?.options;
    expect(
      sameSpan(
        extractSpanContext(amqpHeadersCarrier(sent?.headers as Record<string, unknown>)),
        span?.spanContext(),
      ),
    ).toBe(true);
    expect(sent?.headers).toMatchObject({ tenant: 'eu', 'signalbox-pathway': PATHWAY_VALUE });
    expect(userOptions.headers).toEqual({ tenant: 'eu' }); // caller's object untouched
  });

  it('publish to an exchange names the destination exchange:routingKey', () => {
    const fake = new FakeChannel();
    wrap(fake).publish('orders', 'eu.created', Buffer.from('{}'));
    expect(tracing.spans()[0]?.name).toBe('send orders:eu.created');
    expect(fake.published[0]?.options?.headers).toHaveProperty('traceparent');
  });

  it('keeps a user-set traceparent, links to it, and is then a CLIENT span (its context is not injected)', () => {
    const fake = new FakeChannel();
    wrap(fake).publish('', 'payments', Buffer.from('{}'), { headers: { traceparent: USER_TRACEPARENT } });
    const headers = fake.published[0]?.options?.headers as Record<string, unknown>;
    expect(headers.traceparent).toBe(USER_TRACEPARENT);
    expect(Object.keys(headers).sort()).toEqual(['signalbox-pathway', 'traceparent']);
    const [span] = tracing.spans();
    expect(span?.links.map((l) => l.context.spanId)).toEqual(['b7ad6b7169203331']);
    expect(span?.kind).toBe(SpanKind.CLIENT);
  });

  it("ends a confirm channel's send span at the broker's confirm, and records a nack", () => {
    const fake = new FakeChannel();
    const outcomes: unknown[] = [];
    const callback = (err: unknown) => void outcomes.push(err);
    const confirm = instrumentAmqpChannel(fake as unknown as ConfirmChannel, options);
    confirm.sendToQueue('payments', Buffer.from('{}'), {}, callback);
    confirm.publish('x', 'y', Buffer.from('{}'), undefined, callback);
    expect(tracing.spans()).toHaveLength(0); // not confirmed yet
    const [first, second] = fake.published.map((p) => p.rest[0] as (err: unknown, ok?: unknown) => void);
    first?.(null, {});
    const nacked = new Error('message nacked');
    second?.(nacked);
    expect(outcomes).toEqual([null, nacked]); // the application's callback still sees the outcome
    const [ok, failed] = tracing.spans();
    expect(ok?.status.code).toBe(SpanStatusCode.UNSET);
    expect(failed?.name).toBe('send x:y');
    expect(failed?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('reply queues with server-generated names stay out of span names', () => {
    const fake = new FakeChannel();
    wrap(fake).sendToQueue('amq.gen-JzTY20BRgKO-HjmUJj0wLg', Buffer.from('{}'));
    const [span] = tracing.spans();
    expect(span?.name).toBe('send');
    expect(span?.attributes['messaging.destination.anonymous']).toBe(true);
    expect(span?.attributes['messaging.destination.name']).toBe('amq.gen-JzTY20BRgKO-HjmUJj0wLg');
  });
});

describe('instrumentAmqpChannel: consume', () => {
  it('ends the process span when the handler returns, not when the message is acked', async () => {
    const fake = new FakeChannel();
    const channel = wrap(fake);
    const held: ConsumeMessage[] = [];
    let activeInHandler: Span | undefined;
    await channel.consume('payments', (msg) => {
      activeInHandler = trace.getActiveSpan();
      if (msg) held.push(msg); // acked later
    });

    const msg = delivery('payments', { traceparent: Buffer.from(USER_TRACEPARENT) });
    fake.onMessage?.(msg);

    const [span] = tracing.spans();
    expect(span?.name).toBe('process payments');
    expect(span?.kind).toBe(SpanKind.CONSUMER);
    expect(span?.attributes).toEqual({
      'messaging.system': 'rabbitmq',
      'messaging.operation.name': 'process',
      'messaging.operation.type': 'process',
      'messaging.destination.name': 'payments',
      'messaging.rabbitmq.destination.routing_key': 'payments',
      'messaging.rabbitmq.message.delivery_tag': 7,
      'messaging.message.id': 'm-1',
      'messaging.message.conversation_id': 'order-9',
    });
    expect(span?.links.map((l) => l.context.spanId)).toEqual(['b7ad6b7169203331']);
    expect(sameSpan(activeInHandler?.spanContext(), span?.spanContext())).toBe(true);
    expect(fake.acked).toHaveLength(0);
    channel.ack(held[0] as ConsumeMessage);
    expect(fake.acked).toEqual([msg]);
  });

  it('waits for an async handler, and records its failure without swallowing it', async () => {
    const fake = new FakeChannel();
    let release!: () => void;
    // amqplib types handlers as returning void, yet async handlers are common and must be awaited.
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    await wrap(fake).consume('payments', () => new Promise<void>((resolve) => (release = resolve)));
    const returned = fake.onMessage?.(delivery('payments')) as unknown as Promise<void>;
    expect(tracing.spans()).toHaveLength(0);
    release();
    await returned;
    expect(tracing.spans()).toHaveLength(1);

    const error = new RangeError('boom');
    const failing = new FakeChannel();
    await wrap(failing).consume('payments', () => {
      throw error;
    });
    expect(() => failing.onMessage?.(delivery('payments'))).toThrow(error);
    expect(tracing.spans()[1]?.attributes['error.type']).toBe('RangeError');
  });

  it('passes a consumer cancellation (null) straight to the handler', async () => {
    const fake = new FakeChannel();
    const seen: (ConsumeMessage | null)[] = [];
    await wrap(fake).consume('payments', (msg) => void seen.push(msg));
    fake.onMessage?.(null);
    expect(seen).toEqual([null]);
    expect(tracing.spans()).toHaveLength(0);
  });

  it('names deliveries routed through an exchange exchange:routingKey:queue', async () => {
    const fake = new FakeChannel();
    await wrap(fake).consume('billing', () => {});
    fake.onMessage?.({ ...delivery('eu.created', undefined, 'orders') });
    expect(tracing.spans()[0]?.name).toBe('process orders:eu.created:billing');
  });
});

it('keeps chained calls on the instrumented channel', () => {
  const fake = new FakeChannel();
  const channel = wrap(fake);
  expect(channel.on('error', () => {})).toBe(channel);
  // Stable identity, so code that compares methods keeps working.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  expect(channel.on).toBe(channel.on);
  expect(channel instanceof EventEmitter).toBe(true);
});
