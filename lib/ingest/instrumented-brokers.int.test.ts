import { randomUUID } from 'node:crypto';
import {
  instrumentAmqpChannel,
  instrumentKafkaConsumer,
  instrumentKafkaProducer,
} from '@signalbox/instrumentation';
import amqp from 'amqplib';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowGraph } from '@/lib/analytics/flows';
import type { Journey } from '@/lib/analytics/journeys';
import type { LatencyReport } from '@/lib/analytics/latency';
import { BROKERS, brokerGate } from '@/lib/testing/brokers';
import {
  type InProcessRoutes,
  startInProcessDashboard,
  stopInProcessDashboard,
  tempDataDir,
} from '@/lib/testing/in-process-dashboard';
import { tracedService as service } from '@/lib/testing/traced-service';

// Real OTLP from our own instrumentation through real brokers: checkout →
// Kafka → billing → RabbitMQ → notifier, three services with their own tracer
// and meter providers, exported with the SDK's serializers to the dashboard's
// receivers, then read back through the APIs.
const gate = await brokerGate('kafka', 'rabbitmq');
const dataDir = tempDataDir('signalbox-brokers-');

const MESSAGES = 5;

describe.skipIf(gate.skip)('our instrumentation → real Kafka and RabbitMQ → OTLP → APIs', () => {
  const checkout = service('checkout');
  const billing = service('billing');
  const notifier = service('notifier');
  const topic = `signalbox-ingest-${randomUUID()}`;
  const queue = `signalbox-ingest-${randomUUID()}`;
  const group = `billing-${randomUUID()}`;
  const kafka = new Kafka({
    brokers: [`${BROKERS.kafka.host}:${BROKERS.kafka.port}`],
    logLevel: logLevel.NOTHING,
  });
  let routes: InProcessRoutes;
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    routes = await startInProcessDashboard();
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    closers.push(async () => {
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    });

    const connection = await amqp.connect(
      `amqp://guest:guest@${BROKERS.rabbitmq.host}:${BROKERS.rabbitmq.port}`,
    );
    closers.push(() => connection.close());
    const billingChannel = instrumentAmqpChannel(await connection.createChannel(), billing.options);
    const notifierChannel = instrumentAmqpChannel(await connection.createChannel(), notifier.options);
    await billingChannel.assertQueue(queue, { durable: false, autoDelete: true });

    let delivered = 0;
    const allDelivered = new Promise<void>((resolve) => {
      void notifierChannel.consume(
        queue,
        (msg) => {
          if (msg && ++delivered === MESSAGES) resolve();
        },
        { noAck: true },
      );
    });
    const consumer = instrumentKafkaConsumer(kafka.consumer({ groupId: group }), {
      ...billing.options,
      groupId: group,
    });
    await consumer.connect();
    closers.push(() => consumer.disconnect());
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        billingChannel.sendToQueue(queue, message.value ?? Buffer.alloc(0), {
          messageId: `pay-${message.offset}`,
        });
        return Promise.resolve();
      },
    });
    const producer = instrumentKafkaProducer(kafka.producer(), checkout.options);
    await producer.connect();
    closers.push(() => producer.disconnect());
    for (let i = 0; i < MESSAGES; i++)
      await producer.send({ topic, messages: [{ key: `order-${i}`, value: `order ${i}` }] });
    await allDelivered;
    // Let the notifier's process spans end (they end after the handler returns).
    await new Promise((r) => setTimeout(r, 200));

    // Each service exports like an SDK would: spans, then metrics.
    for (const s of [notifier, billing, checkout]) expect(await s.exportTo(routes)).toEqual([200, 200]);
  });

  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await stopInProcessDashboard([checkout, billing, notifier], dataDir);
  });

  const get = async <T>(route: { GET: (r: Request) => Promise<Response> }, query: string): Promise<T> => {
    const response = await route.GET(new Request(`http://localhost/api/x?${query}`));
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };

  it('shows both hops on the flow graph with exact counts', async () => {
    const graph = await get<FlowGraph>(routes.flows, 'from=15m');
    const edge = (id: string) => graph.edges.find((e) => e.id === id);
    expect(edge(`service:checkout->destination:kafka:${topic}`)).toMatchObject({
      messages: MESSAGES,
      errors: 0,
    });
    const kafkaDelivery = edge(`destination:kafka:${topic}->service:billing#${group}`);
    expect(kafkaDelivery).toMatchObject({ messages: MESSAGES, errors: 0, latencySamples: MESSAGES });
    expect(kafkaDelivery?.p99Ms).toBeGreaterThan(0);
    // The instrumentation records the PATHWAY.md and semconv metrics: every figure comes from them.
    for (const e of graph.edges.filter((x) => x.id.includes(topic) || x.id.includes(queue))) {
      expect(e.sources).toEqual({ messages: 'metrics', errors: 'metrics', latency: 'metrics' });
    }
    expect(graph.consumerGroups.map((g) => g.name)).toContain(group);
    const rabbitDelivery = graph.edges.find(
      (e) => e.source === `destination:rabbitmq:${queue}` && e.target === 'service:notifier',
    );
    expect(rabbitDelivery).toMatchObject({ messages: MESSAGES });
  });

  it('rebuilds the two-hop pathway and its end-to-end latency', async () => {
    const report = await get<LatencyReport>(routes.latency, 'from=15m');
    const pathway = report.pathways.find((p) => p.consumer.service === 'notifier');
    expect(pathway).toBeDefined();
    expect(pathway).toMatchObject({ messages: MESSAGES, source: 'metrics', complete: true, hops: 2 });
    expect(pathway!.route.map((h) => `${h.service}>${h.destination}`)).toEqual([
      `checkout>${topic}`,
      expect.stringMatching(new RegExp(`^billing>.*${queue}`)) as unknown as string,
    ]);
    // Two hops: end to end is at least the Kafka delivery.
    const kafkaEdge = report.edges.find((e) => e.edgeId.startsWith(`destination:kafka:${topic}`));
    expect(pathway!.p50Ms!).toBeGreaterThanOrEqual(kafkaEdge!.p50Ms! * 0.9);
  });

  it('follows one message across both hops and three traces by the Kafka send’s trace id', async () => {
    const send = checkout.exporter.getFinishedSpans().find((s) => s.name === `send ${topic}`)!;
    const journey = await get<Journey>(routes.journeys, `traceId=${send.spanContext().traceId}`);
    expect(journey.hops.length).toBeGreaterThanOrEqual(2);
    const [first, second] = journey.hops;
    expect(first).toMatchObject({
      system: 'kafka',
      destination: topic,
      send: { service: 'checkout' },
      causedBy: null,
    });
    expect(first!.deliveries[0]).toMatchObject({
      service: 'billing',
      consumerGroup: group,
      outcome: 'processed',
      retries: 0,
    });
    expect(first!.deliveries[0]!.attempts[0]!.queueWaitMs).toBeGreaterThanOrEqual(0);
    expect(second).toMatchObject({ system: 'rabbitmq', send: { service: 'billing' }, causedBy: 0 });
    expect(second!.deliveries[0]).toMatchObject({ service: 'notifier', outcome: 'processed' });
    expect(journey.traceIds.length).toBeGreaterThanOrEqual(2); // link mode: each consumer starts its own trace
  });
});
