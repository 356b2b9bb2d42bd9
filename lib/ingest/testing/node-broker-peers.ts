import { context, propagation } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { instrumentAmqpChannel, instrumentKafkaConsumer } from '@signalbox/instrumentation';
import amqp from 'amqplib';
import { Kafka, logLevel } from 'kafkajs';
import { BROKERS } from '@/lib/testing/brokers';

// Node services instrumented with @signalbox/instrumentation, for tests that put
// them on the other side of a broker from a foreign SDK (the Java agent).

let contextReady = false;

function nodeService(name: string) {
  // Trace context must flow through async handlers and into message headers as W3C traceparent.
  if (!contextReady) {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    contextReady = true;
  }
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': name }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  return { exporter, tracerProvider };
}

/** Declares queue and publishes count messages to it through the default exchange. */
export async function publishFromNode(
  service: string,
  queue: string,
  count: number,
): Promise<ReadableSpan[]> {
  const { exporter, tracerProvider } = nodeService(service);
  const connection = await amqp.connect(
    `amqp://guest:guest@${BROKERS.rabbitmq.host}:${BROKERS.rabbitmq.port}`,
  );
  try {
    const channel = instrumentAmqpChannel(await connection.createChannel(), { tracerProvider });
    // autoDelete: gone once the consumer on the other side has read it and left.
    await channel.assertQueue(queue, { durable: false, autoDelete: true });
    for (let i = 0; i < count; i++) channel.sendToQueue(queue, Buffer.from(`order ${i}`));
    await channel.close();
  } finally {
    await connection.close();
  }
  return exporter.getFinishedSpans();
}

/** Consumes count records of topic from the beginning in consumer group group. */
export async function consumeKafkaInNode(
  service: string,
  topic: string,
  group: string,
  count: number,
): Promise<ReadableSpan[]> {
  const { exporter, tracerProvider } = nodeService(service);
  const kafka = new Kafka({
    brokers: [`${BROKERS.kafka.host}:${BROKERS.kafka.port}`],
    logLevel: logLevel.NOTHING,
  });
  const consumer = instrumentKafkaConsumer(kafka.consumer({ groupId: group }), {
    tracerProvider,
    groupId: group,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let seen = 0;
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: () => {
          if (++seen === count) resolve();
          return Promise.resolve();
        },
      });
    });
    // Let the last process span end (it ends after the handler returns).
    await new Promise((r) => setTimeout(r, 200));
  } finally {
    await consumer.disconnect();
  }
  return exporter.getFinishedSpans();
}
