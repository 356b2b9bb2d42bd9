import { context, trace } from '@opentelemetry/api';
import type { Consumer, Producer } from 'kafkajs';
import type { Channel, ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerGate } from '../../lib/testing/brokers.js';
import { instrumentAmqpChannel } from '../src/index.js';
import { amqpConnect, kafkaClient, kafkaTopic, uniqueName } from './support/brokers.js';
import { sameSpan, setupTracing, waitFor } from './support/tracing.js';

const gate = await brokerGate('kafka', 'rabbitmq');

describe.skipIf(gate.skip)('one trace across Kafka and RabbitMQ', () => {
  const tracing = setupTracing();
  const options = { tracerProvider: tracing.provider, parentMode: 'parent' as const };
  const kafka = kafkaClient();
  const topic = uniqueName('topic');
  const groupId = uniqueName('group');
  const queue = uniqueName('queue');
  let producer: Producer;
  let consumer: Consumer;
  let closeKafka: (() => Promise<void>) | undefined;
  let connection: ChannelModel;
  let channel: Channel;

  beforeAll(async () => {
    ({ producer, consumer, close: closeKafka } = await kafkaTopic(kafka, { topic, groupId }, options));
    connection = await amqpConnect();
    channel = instrumentAmqpChannel(await connection.createChannel(), options);
    await channel.assertQueue(queue, { durable: false, autoDelete: true });
  });

  afterAll(async () => {
    await closeKafka?.();
    await channel?.deleteQueue(queue).catch(() => {});
    await connection?.close();
    await tracing.shutdown();
  });

  it('keeps trace T from a Kafka send to a RabbitMQ consumer (parentMode parent)', async () => {
    // Kafka consumer forwards every message to RabbitMQ from inside its process span.
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        channel.sendToQueue(queue, message.value ?? Buffer.alloc(0));
        return Promise.resolve();
      },
    });
    const delivered = new Promise<string | undefined>((resolve) => {
      void channel.consume(
        queue,
        (msg) => {
          if (msg) resolve(trace.getActiveSpan()?.spanContext().traceId);
        },
        { noAck: true },
      );
    });

    const root = tracing.tracer.startSpan('place order');
    const traceT = root.spanContext().traceId;
    await context.with(trace.setSpan(context.active(), root), () =>
      producer.send({ topic, messages: [{ value: 'order-1' }] }),
    );
    root.end();

    expect(await delivered).toBe(traceT);
    const find = (name: string) => tracing.spans().find((s) => s.name === name);
    const rabbitProcess = await waitFor(() => find(`process ${queue}`), 'RabbitMQ process span');
    const rabbitSend = find(`send ${queue}`);
    const kafkaProcess = find(`process ${topic}`);
    const kafkaSend = find(`send ${topic}`);

    // One trace, one chain of parents: root > kafka send > kafka process > rabbit send > rabbit process.
    for (const span of [kafkaSend, kafkaProcess, rabbitSend, rabbitProcess]) {
      expect(span?.spanContext().traceId).toBe(traceT);
    }
    expect(sameSpan(kafkaSend?.parentSpanContext, root.spanContext())).toBe(true);
    expect(sameSpan(kafkaProcess?.parentSpanContext, kafkaSend?.spanContext())).toBe(true);
    expect(sameSpan(rabbitSend?.parentSpanContext, kafkaProcess?.spanContext())).toBe(true);
    expect(sameSpan(rabbitProcess.parentSpanContext, rabbitSend?.spanContext())).toBe(true);
  });
});
