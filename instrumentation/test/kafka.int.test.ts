import { SpanKind, context, trace } from '@opentelemetry/api';
import type { Consumer, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerGate } from '../../lib/testing/brokers.js';

import { kafkaClient, kafkaTopic, uniqueName } from './support/brokers.js';
import { sameSpan, setupTracing, waitFor } from './support/tracing.js';

const gate = await brokerGate('kafka');

describe.skipIf(gate.skip)('Kafka through a real broker', () => {
  const tracing = setupTracing();
  const kafka = kafkaClient();
  const topic = uniqueName('topic');
  const groupId = uniqueName('group');
  let producer: Producer;
  let consumer: Consumer;
  let closeKafka: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({
      producer,
      consumer,
      close: closeKafka,
    } = await kafkaTopic(kafka, { topic, groupId }, { tracerProvider: tracing.provider }));
  });

  afterAll(async () => {
    await closeKafka?.();
    await tracing.shutdown();
  });

  it('links the consumer process span to the producer send span (default parentMode)', async () => {
    const handled = new Promise<{ traceId: string | undefined; value: string | undefined }>((resolve) => {
      void consumer.subscribe({ topics: [topic], fromBeginning: true }).then(() =>
        consumer.run({
          eachMessage: ({ message }) => {
            resolve({
              traceId: trace.getActiveSpan()?.spanContext().traceId,
              value: message.value?.toString(),
            });
            return Promise.resolve();
          },
        }),
      );
    });

    // The application's own span around the send: the send span is its child.
    const checkout = tracing.tracer.startSpan('checkout');
    await context.with(trace.setSpan(context.active(), checkout), () =>
      producer.send({ topic, messages: [{ key: 'customer-7', value: 'order-1' }] }),
    );
    checkout.end();

    const seen = await handled;
    expect(seen.value).toBe('order-1');

    const send = tracing.spans().find((s) => s.name === `send ${topic}`);
    const processed = await waitFor(
      () => tracing.spans().find((s) => s.name === `process ${topic}`),
      'process span',
    );
    if (!send) throw new Error('no send span');

    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(sameSpan(send.parentSpanContext, checkout.spanContext())).toBe(true);
    expect(send.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.operation.name': 'send',
      'messaging.operation.type': 'send',
      'messaging.destination.name': topic,
      'messaging.kafka.message.key': 'customer-7',
    });

    expect(processed.kind).toBe(SpanKind.CONSUMER);
    expect(processed.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.operation.name': 'process',
      'messaging.operation.type': 'process',
      'messaging.destination.name': topic,
      'messaging.consumer.group.name': groupId,
      'messaging.destination.partition.id': '0',
      'messaging.kafka.offset': 0,
      'messaging.kafka.message.key': 'customer-7',
    });
    // Default 'link': the consumer is not parented on the producer but links to it, same trace id in the link.
    expect(processed.links).toHaveLength(1);
    expect(sameSpan(processed.links[0]?.context, send.spanContext())).toBe(true);
    expect(processed.links[0]?.context.traceId).toBe(checkout.spanContext().traceId);
    expect(processed.parentSpanContext).toBeUndefined();
    // The handler ran inside the process span.
    expect(seen.traceId).toBe(processed.spanContext().traceId);
  });
});
