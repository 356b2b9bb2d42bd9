import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AlwaysOffSampler, type Sampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import {
  instrumentAmqpChannel,
  instrumentKafkaConsumer,
  instrumentKafkaProducer,
} from '@signalbox/instrumentation';
import amqp from 'amqplib';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LatencyReport, type PathwayLatency, getLatencyReport } from '@/lib/analytics/latency';
import type { TimeRange } from '@/lib/analytics/time-range';
import { observe } from '@/lib/alerts/observe';
import { alertRule } from '@/lib/alerts/rule';
import { BROKERS, brokerGate } from '@/lib/testing/brokers';
import {
  type InProcessRoutes,
  startInProcessDashboard,
  stopInProcessDashboard,
  tempDataDir,
} from '@/lib/testing/in-process-dashboard';
import { type TracedService, tracedService } from '@/lib/testing/traced-service';

// The ★ claim: end-to-end latency survives trace sampling. Three hops on two
// real brokers (checkout → Kafka → billing → RabbitMQ → notifier → Kafka →
// archiver), every service sampling 1% of traces, or none. The pathway latency
// the dashboard reports from the metrics must match the latency measured by the
// test itself for every message, origin send → start of the last processing.
const gate = await brokerGate('kafka', 'rabbitmq');
const dataDir = tempDataDir('signalbox-sampling-');

const MESSAGES = 60;
const SAMPLERS: [string, () => Sampler][] = [
  ['a 1% ratio sampler', () => new TraceIdRatioBasedSampler(0.01)],
  ['AlwaysOff', () => new AlwaysOffSampler()],
];

// Exponential histograms, as a service would configure for accurate percentiles.
const service = (name: string, sampler: Sampler) => tracedService(name, { sampler, exponential: true });
type Service = TracedService;

/** The nearest-rank percentile of `values` (ms). */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const kafka = new Kafka({
  brokers: [`${BROKERS.kafka.host}:${BROKERS.kafka.port}`],
  logLevel: logLevel.NOTHING,
});
const closers: (() => Promise<unknown>)[] = [];
let routes: InProcessRoutes;

/** Runs MESSAGES through the three hops; returns each message's measured latency (ms) and the services. */
async function runPipeline(id: string, sampler: () => Sampler) {
  const [checkout, billing, notifier, archiver] = ['checkout', 'billing', 'notifier', 'archiver'].map((n) =>
    service(`${n}-${id}`, sampler()),
  ) as [Service, Service, Service, Service];
  const orders = `signalbox-sampling-orders-${id}`;
  const archive = `signalbox-sampling-archive-${id}`;
  const payments = `signalbox-sampling-payments-${id}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [orders, archive].map((topic) => ({ topic, numPartitions: 1 })),
    waitForLeaders: true,
  });
  closers.push(async () => {
    await admin.deleteTopics({ topics: [orders, archive] }).catch(() => undefined);
    await admin.disconnect();
  });
  const connection = await amqp.connect(
    `amqp://guest:guest@${BROKERS.rabbitmq.host}:${BROKERS.rabbitmq.port}`,
  );
  closers.push(() => connection.close());

  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const allArchived = new Promise<void>((resolve) => {
    const consume = async (s: Service, topic: string, onMessage: (value: string) => Promise<void>) => {
      const consumer = instrumentKafkaConsumer(kafka.consumer({ groupId: s.name }), {
        ...s.options,
        groupId: s.name,
      });
      await consumer.connect();
      closers.push(() => consumer.disconnect());
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => onMessage(String(message.value)) });
    };
    void (async () => {
      const billingChannel = instrumentAmqpChannel(await connection.createChannel(), billing.options);
      const notifierChannel = instrumentAmqpChannel(await connection.createChannel(), notifier.options);
      await billingChannel.assertQueue(payments, { durable: false, autoDelete: true });
      const forward = instrumentKafkaProducer(kafka.producer(), notifier.options);
      await forward.connect();
      closers.push(() => forward.disconnect());
      // Handlers wait a random while, so latencies spread over a range worth comparing.
      await notifierChannel.consume(
        payments,
        // The instrumented channel awaits an async handler.
        // eslint-disable-next-line @typescript-eslint/no-misused-promises
        async (msg) => {
          if (!msg) return;
          await sleep(Math.random() * 60);
          await forward.send({ topic: archive, messages: [{ value: msg.content }] });
        },
        { noAck: true },
      );
      await consume(billing, orders, async (value) => {
        await sleep(Math.random() * 60);
        billingChannel.sendToQueue(payments, Buffer.from(value));
      });
      await consume(archiver, archive, (value) => {
        latencies.push(Date.now() - sentAt.get(value)!);
        if (latencies.length === MESSAGES) resolve();
        return Promise.resolve();
      });
    })();
  });

  const producer = instrumentKafkaProducer(kafka.producer(), checkout.options);
  await producer.connect();
  closers.push(() => producer.disconnect());
  for (let i = 0; i < MESSAGES; i++) {
    const value = `order-${i}`;
    sentAt.set(value, Date.now());
    await producer.send({ topic: orders, messages: [{ value }] });
    await sleep(20);
  }
  await allArchived;
  await sleep(300); // the last process spans end after their handlers return
  return { latencies, services: [checkout, billing, notifier, archiver], archive };
}

describe.skipIf(gate.skip)('pathway latency survives trace sampling (Kafka → RabbitMQ → Kafka)', () => {
  beforeAll(async () => {
    routes = await startInProcessDashboard();
  });

  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await stopInProcessDashboard([], dataDir);
  });

  it.each(SAMPLERS)(
    'with %s, p50/p95/p99 over three hops match every message’s measured latency',
    async (_name, sampler) => {
      const id = randomUUID().slice(0, 8);
      const { latencies, services, archive } = await runPipeline(id, sampler);
      let sampledSpans = 0;
      for (const s of services) {
        sampledSpans += s.exporter.getFinishedSpans().length;
        expect((await s.exportTo(routes)).every((status) => status === 200)).toBe(true);
        await s.metrics.shutdown();
      }
      // Hardly any trace survived: far fewer spans than the 4 × 60 messages' operations.
      expect(sampledSpans).toBeLessThan(MESSAGES);

      const response = await routes.latency.GET(new Request('http://localhost/api/latency?from=15m'));
      const report = (await response.json()) as LatencyReport;
      const pathway = report.pathways.find(
        (p: PathwayLatency) => p.consumer.service === `archiver-${id}` && p.hops === 3,
      );
      expect(pathway, JSON.stringify(report.pathways.map((p) => [p.consumer, p.hops]))).toBeDefined();
      expect(pathway).toMatchObject({ messages: MESSAGES, source: 'metrics', complete: true });
      expect(pathway!.route.map((h) => h.destination)).toEqual([
        `signalbox-sampling-orders-${id}`,
        `signalbox-sampling-payments-${id}`,
        archive,
      ]);
      // Exponential-histogram percentiles are within a few % of the exact ones; the
      // test's own clock reads add a millisecond or two.
      for (const [p, reported] of [
        [50, pathway!.p50Ms],
        [95, pathway!.p95Ms],
        [99, pathway!.p99Ms],
      ] as const) {
        const truth = percentile(latencies, p);
        expect(
          Math.abs(reported! - truth),
          `p${p}: reported ${reported} ms, measured ${truth} ms`,
        ).toBeLessThan(Math.max(0.1 * truth, 5));
      }

      // A latency alert on this pathway sees the same p95, so it fires although the traces are gone.
      const { getStore } = await import('@/lib/runtime');
      const telemetry = {
        latency: async (range: TimeRange) => getLatencyReport(await getStore(), range, null),
        flows: () => Promise.reject(new Error('not read by latency rules')),
      };
      const truth95 = percentile(latencies, 95) / 1000;
      const latencyRule = (threshold: number) =>
        alertRule({
          id: 'archive-slow',
          name: 'Archiving is slow',
          kind: 'latency',
          scope: { system: 'kafka', destination: archive, group: `archiver-${id}` },
          threshold,
          windowSeconds: 900,
        });
      const seen = async (threshold: number) =>
        observe(latencyRule(threshold), { lag: null, dlq: null, telemetry }, Date.now());
      const over = await seen(truth95 / 2);
      expect(over.map((o) => [o.subject, o.breaching])).toEqual([[`pathway:${pathway!.id}`, true]]);
      expect(over[0]!.value).toMatch(/^p95 .* s \(metrics\)$/);
      expect((await seen(truth95 * 2)).map((o) => o.breaching)).toEqual([false]);
    },
    120_000,
  );
});
