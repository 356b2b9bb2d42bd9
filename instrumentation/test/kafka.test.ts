import {
  diag,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import type {
  Consumer,
  ConsumerRunConfig,
  EachMessagePayload,
  Message,
  Producer,
  ProducerBatch,
  ProducerRecord,
} from 'kafkajs';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { instrumentKafkaConsumer, instrumentKafkaProducer, kafkaHeadersCarrier } from '../src/index.js';
import { extractSpanContext } from '../src/propagation/carrier.js';
import { sameSpan, setupTracing } from './support/tracing.js';

const tracing = setupTracing();
afterAll(() => tracing.shutdown());
beforeEach(() => tracing.reset());
const options = { tracerProvider: tracing.provider };

const USER_TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
// Asymmetric matchers are typed `any`; typed once here.
const HASH: unknown = expect.stringMatching(/^[0-9a-f]{16}$/);
const headerContext = (message: Message | undefined) =>
  extractSpanContext(kafkaHeadersCarrier(message?.headers));

/** The slice of a kafkajs producer the wrapper touches, recording what reaches the "broker". */
function fakeProducer(failWith?: Error) {
  const records: ProducerRecord[] = [];
  const batches: ProducerBatch[] = [];
  const activeDuringSend: (Span | undefined)[] = [];
  const sender = {
    send: (record: ProducerRecord) => {
      records.push(record);
      activeDuringSend.push(trace.getActiveSpan());
      return failWith === undefined ? Promise.resolve([]) : Promise.reject(failWith);
    },
    sendBatch: (batch: ProducerBatch) => {
      batches.push(batch);
      return Promise.resolve([]);
    },
  };
  const connect = vi.fn(() => Promise.resolve());
  const producer = {
    ...sender,
    connect,
    isIdempotent(this: unknown) {
      return this === producer;
    },
    transaction: () => Promise.resolve({ ...sender, commit: () => Promise.resolve() }),
  };
  return { producer: producer as unknown as Producer, connect, records, batches, activeDuringSend };
}

describe('instrumentKafkaProducer: send', () => {
  it('emits one PRODUCER span with semconv attributes and injects its context', async () => {
    const fake = fakeProducer();
    const message: Message = { key: 'customer-7', value: 'hello', partition: 2 };
    await instrumentKafkaProducer(fake.producer, options).send({ topic: 'orders', messages: [message] });

    const [span] = tracing.spans();
    expect(tracing.spans()).toHaveLength(1);
    expect(span?.name).toBe('send orders');
    expect(span?.kind).toBe(SpanKind.PRODUCER);
    expect(span?.attributes).toEqual({
      'messaging.system': 'kafka',
      'messaging.operation.name': 'send',
      'messaging.operation.type': 'send',
      'messaging.destination.name': 'orders',
      'messaging.destination.partition.id': '2',
      'messaging.kafka.message.key': 'customer-7',
      'signalbox.pathway.hash': HASH,
      'signalbox.pathway.parent_hash': '',
    });
    expect(span?.instrumentationScope.name).toBe('@signalbox/instrumentation');
    expect(sameSpan(headerContext(fake.records[0]?.messages[0]), span?.spanContext())).toBe(true);
    expect(sameSpan(fake.activeDuringSend[0]?.spanContext(), span?.spanContext())).toBe(true);
  });

  it("sends copies: the caller's message objects are not modified", async () => {
    const fake = fakeProducer();
    const headers = { tenant: 'eu' };
    const message: Message = { value: 'x', headers };
    const record: ProducerRecord = { topic: 'orders', messages: [message] };
    await instrumentKafkaProducer(fake.producer, options).send(record);
    expect(message).toEqual({ value: 'x', headers: { tenant: 'eu' } });
    expect(headers).toEqual({ tenant: 'eu' });
    expect(record.messages[0]).toBe(message);
    expect(fake.records[0]?.messages[0]?.headers).toMatchObject({ tenant: 'eu' });
  });

  it('gives multi-message sends a create span per message and one CLIENT send span linking to them', async () => {
    const fake = fakeProducer();
    await instrumentKafkaProducer(fake.producer, options).send({
      topic: 'orders',
      messages: [{ value: 'a' }, { value: 'b' }, { value: 'c', key: 'k' }],
    });
    const creates = tracing.spans().filter((s) => s.name === 'create orders');
    const send = tracing.spans().find((s) => s.name === 'send orders');
    expect(creates).toHaveLength(3);
    expect(send?.kind).toBe(SpanKind.CLIENT);
    expect(send?.attributes['messaging.batch.message_count']).toBe(3);
    expect(send?.attributes['messaging.kafka.message.key']).toBeUndefined();
    // Per-message attributes go on that message's create span.
    expect(creates[2]?.attributes).toMatchObject({
      'messaging.operation.type': 'create',
      'messaging.kafka.message.key': 'k',
    });
    const sent = fake.records[0]?.messages ?? [];
    sent.forEach((message, i) => {
      expect(creates[i]?.kind).toBe(SpanKind.PRODUCER);
      expect(sameSpan(headerContext(message), creates[i]?.spanContext())).toBe(true);
    });
    expect(send?.links.map((l) => l.context.spanId)).toEqual(creates.map((c) => c.spanContext().spanId));
  });

  it('with batchCreateSpans: false, one PRODUCER send span goes into every message', async () => {
    const fake = fakeProducer();
    await instrumentKafkaProducer(fake.producer, { ...options, batchCreateSpans: false }).send({
      topic: 'orders',
      messages: [{ value: 'a' }, { value: 'b' }],
    });
    const [span] = tracing.spans();
    expect(tracing.spans()).toHaveLength(1);
    expect(span?.kind).toBe(SpanKind.PRODUCER);
    for (const sent of fake.records[0]?.messages ?? []) {
      expect(sameSpan(headerContext(sent), span?.spanContext())).toBe(true);
    }
  });

  it('keeps a user-set traceparent and links the send span to it', async () => {
    const fake = fakeProducer();
    await instrumentKafkaProducer(fake.producer, options).send({
      topic: 'orders',
      messages: [{ value: 'mine', headers: { traceparent: USER_TRACEPARENT } }, { value: 'ours' }],
    });
    const send = tracing.spans().find((s) => s.name === 'send orders');
    const creates = tracing.spans().filter((s) => s.name === 'create orders');
    const [mine, ours] = fake.records[0]?.messages ?? [];
    expect(mine?.headers?.traceparent).toBe(USER_TRACEPARENT);
    // Only the message without a creation context gets a create span.
    expect(creates).toHaveLength(1);
    expect(sameSpan(headerContext(ours), creates[0]?.spanContext())).toBe(true);
    expect(send?.links.map((l) => l.context.spanId).sort()).toEqual(
      ['b7ad6b7169203331', creates[0]?.spanContext().spanId].sort(),
    );
  });

  it('omits a binary key that has no UTF-8 form, and marks tombstones', async () => {
    const fake = fakeProducer();
    await instrumentKafkaProducer(fake.producer, options).send({
      topic: 'orders',
      messages: [{ key: Buffer.from([0xff, 0xfe]), value: null }],
    });
    const [span] = tracing.spans();
    expect(span?.attributes['messaging.kafka.message.key']).toBeUndefined();
    expect(span?.attributes['messaging.kafka.message.tombstone']).toBe(true);
  });

  it('records a broker error on the span and rejects with the same error', async () => {
    class KafkaJSNumberOfRetriesExceeded extends Error {}
    const error = new KafkaJSNumberOfRetriesExceeded('broker down');
    const fake = fakeProducer(error);
    const send = instrumentKafkaProducer(fake.producer, options).send({
      topic: 'orders',
      messages: [{ value: 'x' }],
    });
    await expect(send).rejects.toBe(error);
    const [span] = tracing.spans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes['error.type']).toBe('KafkaJSNumberOfRetriesExceeded');
  });
});

describe('instrumentKafkaProducer: sendBatch, transactions, pass-through', () => {
  it('emits one send span per topic, each injected into its own messages', async () => {
    const fake = fakeProducer();
    await instrumentKafkaProducer(fake.producer, options).sendBatch({
      topicMessages: [
        { topic: 'orders', messages: [{ value: 'a' }, { value: 'b' }] },
        { topic: 'audit', messages: [{ value: 'c' }] },
      ],
    });
    const names = tracing.spans().map((s) => s.name);
    expect(names.filter((n) => n.startsWith('send')).sort()).toEqual(['send audit', 'send orders']);
    expect(names.filter((n) => n === 'create orders')).toHaveLength(2);
    const find = (name: string) => tracing.spans().find((s) => s.name === name);
    expect(find('send orders')?.attributes['messaging.batch.message_count']).toBe(2);
    const [orders, audit] = fake.batches[0]?.topicMessages ?? [];
    const orderCreates = tracing.spans().filter((s) => s.name === 'create orders');
    (orders?.messages ?? []).forEach((m, i) => {
      expect(sameSpan(headerContext(m), orderCreates[i]?.spanContext())).toBe(true);
    });
    expect(sameSpan(headerContext(audit?.messages[0]), find('send audit')?.spanContext())).toBe(true);
  });

  it('instruments sends made inside a transaction', async () => {
    const fake = fakeProducer();
    const transaction = await instrumentKafkaProducer(fake.producer, options).transaction();
    await transaction.send({ topic: 'orders', messages: [{ value: 'x' }] });
    await transaction.commit();
    expect(tracing.spans().map((s) => s.name)).toEqual(['send orders']);
  });

  it('passes every other method through to the original producer', async () => {
    const fake = fakeProducer();
    const instrumented = instrumentKafkaProducer(fake.producer, options);
    await instrumented.connect();
    expect(fake.connect).toHaveBeenCalledOnce();
    expect(instrumented.isIdempotent()).toBe(true);
  });

  it('falls back to the plain send when instrumentation fails, without throwing', async () => {
    const warn = vi.spyOn(diag, 'warn').mockImplementation(() => {});
    const fake = fakeProducer();
    // Not a valid record for our code (messages is not an array); the client decides what to do with it.
    const odd = { topic: 'orders', messages: 'nope' } as unknown as ProducerRecord;
    await instrumentKafkaProducer(fake.producer, options).send(odd);
    expect(fake.records[0]).toBe(odd);
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });
});

/** A consumer whose run() keeps the config so the test can deliver messages itself. */
function fakeConsumer() {
  const runs: (ConsumerRunConfig | undefined)[] = [];
  const consumer = {
    run: (config?: ConsumerRunConfig) => {
      runs.push(config);
      return Promise.resolve();
    },
    stop: vi.fn(() => Promise.resolve()),
  };
  return { consumer: consumer as unknown as Consumer, runs };
}

function payload(
  headers: Record<string, Buffer> = { traceparent: Buffer.from(USER_TRACEPARENT) },
): EachMessagePayload {
  return {
    topic: 'orders',
    partition: 1,
    message: {
      key: Buffer.from('customer-7'),
      value: Buffer.from('{}'),
      timestamp: '0',
      attributes: 0,
      offset: '41',
      headers,
    },
    heartbeat: () => Promise.resolve(),
    pause: () => () => {},
  };
}

describe('instrumentKafkaConsumer', () => {
  it('runs eachMessage inside a CONSUMER process span linked to the producer', async () => {
    const fake = fakeConsumer();
    let activeInHandler: Span | undefined;
    let release!: () => void;
    await instrumentKafkaConsumer(fake.consumer, { ...options, groupId: 'billing' }).run({
      eachMessage: () => {
        activeInHandler = trace.getActiveSpan();
        return new Promise<void>((resolve) => (release = resolve));
      },
    });

    const handled = fake.runs[0]?.eachMessage?.(payload());
    expect(tracing.spans()).toHaveLength(0); // still running
    release();
    await handled;

    const [span] = tracing.spans();
    expect(span?.name).toBe('process orders');
    expect(span?.kind).toBe(SpanKind.CONSUMER);
    expect(span?.attributes).toEqual({
      'messaging.system': 'kafka',
      'messaging.operation.name': 'process',
      'messaging.operation.type': 'process',
      'messaging.destination.name': 'orders',
      'messaging.destination.partition.id': '1',
      'messaging.consumer.group.name': 'billing',
      'messaging.kafka.offset': 41,
      'messaging.kafka.message.key': 'customer-7',
    });
    expect(span?.links.map((l) => l.context.spanId)).toEqual(['b7ad6b7169203331']);
    expect(sameSpan(activeInHandler?.spanContext(), span?.spanContext())).toBe(true);
  });

  it('records a handler error and rethrows it unchanged (kafkajs then retries)', async () => {
    const fake = fakeConsumer();
    const error = new TypeError('bad payload');
    await instrumentKafkaConsumer(fake.consumer, options).run({ eachMessage: () => Promise.reject(error) });
    await expect(fake.runs[0]?.eachMessage?.(payload({}))).rejects.toBe(error);
    expect(tracing.spans()[0]?.attributes['error.type']).toBe('TypeError');
    expect(tracing.spans()[0]?.links).toEqual([]);
  });

  it('keeps the rest of the run config as given', async () => {
    const fake = fakeConsumer();
    const eachBatch = () => Promise.resolve();
    await instrumentKafkaConsumer(fake.consumer, options).run({
      eachBatch,
      autoCommit: false,
      partitionsConsumedConcurrently: 3,
    });
    expect(fake.runs[0]).toMatchObject({ autoCommit: false, partitionsConsumedConcurrently: 3 });
    expect(typeof fake.runs[0]?.eachBatch).toBe('function');
  });

  it('still calls the handler when the tracing SDK itself fails', async () => {
    const warn = vi.spyOn(diag, 'warn').mockImplementation(() => {});
    const broken: TracerProvider = {
      getTracer: () =>
        ({
          startSpan: () => {
            throw new Error('sdk bug');
          },
        }) as unknown as Tracer,
    };
    const fake = fakeConsumer();
    const eachMessage = vi.fn(() => Promise.resolve());
    await instrumentKafkaConsumer(fake.consumer, { tracerProvider: broken }).run({ eachMessage });
    await fake.runs[0]?.eachMessage?.(payload());
    expect(eachMessage).toHaveBeenCalledOnce();
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });
});
