import type { Channel, ChannelModel } from 'amqplib';
import type { Consumer, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerGate } from '../../lib/testing/brokers.js';
import { instrumentAmqpChannel } from '../src/index.js';
import { pathwayHash } from '../src/pathway/hash.js';
import { amqpConnect, kafkaClient, kafkaTopic, uniqueName } from './support/brokers.js';
import { setupMetrics } from './support/metrics.js';
import { setupTracing, waitFor } from './support/tracing.js';

const gate = await brokerGate('kafka', 'rabbitmq');

// How long the message sits in the RabbitMQ queue before anyone consumes it.
const QUEUE_DELAY_MS = 600;
// Upper slack for a shared 2-core machine: broker round trips, event-loop lag.
const TOLERANCE_S = 2;

/*
 * checkout --Kafka topic--> billing --RabbitMQ queue--> notifier, three
 * "services" in one process (each with its own serviceName), with traces
 * sampled or not: the pathway metrics must come out of the headers alone.
 */
describe.skipIf(gate.skip)('pathway latency across Kafka then RabbitMQ (real brokers)', () => {
  const tracing = setupTracing();
  const metrics = setupMetrics();
  const base = { tracerProvider: tracing.provider, meterProvider: metrics.provider };
  const kafka = kafkaClient();
  const topic = uniqueName('pathway-topic');
  const queue = uniqueName('pathway-queue');
  const groupId = uniqueName('pathway-group');
  let producer: Producer;
  let consumer: Consumer;
  let closeKafka: (() => Promise<void>) | undefined;
  let connection: ChannelModel;
  let billingChannel: Channel;
  let notifierChannel: Channel;

  beforeAll(async () => {
    ({
      producer,
      consumer,
      close: closeKafka,
    } = await kafkaTopic(
      kafka,
      { topic, groupId },
      { ...base, serviceName: 'checkout' },
      { ...base, serviceName: 'billing' },
    ));
    connection = await amqpConnect();
    billingChannel = instrumentAmqpChannel(await connection.createChannel(), {
      ...base,
      serviceName: 'billing',
    });
    notifierChannel = instrumentAmqpChannel(await connection.createChannel(), {
      ...base,
      serviceName: 'notifier',
    });
    await billingChannel.assertQueue(queue, { durable: false });
  });

  afterAll(async () => {
    await closeKafka?.();
    await billingChannel?.deleteQueue(queue).catch(() => {});
    await connection?.close();
    await metrics.shutdown();
    await tracing.shutdown();
  });

  it('records edge latency ≈ the queue wait and pathway latency ≈ origin → last hop, keyed by the route', async () => {
    // billing forwards every order to RabbitMQ from inside its process span.
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let forwarded!: () => void;
    const forwardedOnce = new Promise<void>((resolve) => (forwarded = resolve));
    await consumer.run({
      eachMessage: ({ message }) => {
        billingChannel.sendToQueue(queue, message.value ?? Buffer.alloc(0));
        forwarded();
        return Promise.resolve();
      },
    });

    const sentAt = Date.now();
    await producer.send({ topic, messages: [{ value: 'order-1' }] });
    await forwardedOnce;
    const forwardedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, QUEUE_DELAY_MS));

    const delivered = new Promise<void>((resolve) => {
      void notifierChannel.consume(queue, (msg) => {
        if (msg) notifierChannel.ack(msg);
        resolve();
      });
    });
    await delivered;
    const processedAt = Date.now();
    await waitFor(() => tracing.spans().find((s) => s.name === `process ${queue}`), 'notifier process span');

    const kafkaHash = pathwayHash('', 'checkout', 'kafka', topic);
    const rabbitHash = pathwayHash(kafkaHash, 'billing', 'rabbitmq', queue);

    // The dashboard rebuilds the route from pathway.sent: origin, then its child.
    const sent = await metrics.points('signalbox.messaging.pathway.sent');
    expect(
      sent
        .map((p) => p.attributes)
        .sort((a, b) => String(a['messaging.system']).localeCompare(String(b['messaging.system']))),
    ).toEqual([
      {
        'signalbox.pathway.hash': kafkaHash,
        'signalbox.pathway.parent_hash': '',
        'messaging.system': 'kafka',
        'messaging.destination.name': topic,
      },
      {
        'signalbox.pathway.hash': rabbitHash,
        'signalbox.pathway.parent_hash': kafkaHash,
        'messaging.system': 'rabbitmq',
        'messaging.destination.name': queue,
      },
    ]);

    const edges = await metrics.points('signalbox.messaging.edge.latency');
    const rabbitEdge = edges.find((p) => p.attributes['signalbox.pathway.hash'] === rabbitHash);
    const kafkaEdge = edges.find((p) => p.attributes['signalbox.pathway.hash'] === kafkaHash);
    expect(rabbitEdge?.value).toBe(1);
    expect(kafkaEdge?.value).toBe(1);
    expect(kafkaEdge?.attributes['messaging.consumer.group.name']).toBe(groupId);
    // Edge latency: the message waited QUEUE_DELAY_MS in RabbitMQ before the notifier started.
    const rabbitEdgeS = rabbitEdge?.histogram?.sum ?? -1;
    expect(rabbitEdgeS).toBeGreaterThanOrEqual(QUEUE_DELAY_MS / 1000);
    expect(rabbitEdgeS).toBeLessThanOrEqual((processedAt - forwardedAt) / 1000 + 0.05);

    // Pathway latency at the last hop: from checkout's send to the notifier's process start.
    const [last] = (await metrics.points('signalbox.messaging.pathway.latency')).filter(
      (p) => p.attributes['signalbox.pathway.hash'] === rabbitHash,
    );
    expect(last?.attributes['signalbox.pathway.hops']).toBe(2);
    const pathwayS = last?.histogram?.sum ?? -1;
    const kafkaEdgeS = kafkaEdge?.histogram?.sum ?? -1;
    // It covers both edges, and no more than the wall time between send and processing.
    expect(pathwayS).toBeGreaterThanOrEqual(rabbitEdgeS + kafkaEdgeS - 0.002);
    expect(pathwayS).toBeLessThanOrEqual((processedAt - sentAt) / 1000 + 0.05);
    expect(pathwayS).toBeLessThan(QUEUE_DELAY_MS / 1000 + TOLERANCE_S);
  });
});
