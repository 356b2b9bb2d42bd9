import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { instrumentKafkaConsumer, instrumentKafkaProducer } from '@signalbox/instrumentation';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowGraph } from '@/lib/analytics/flows';
import { BROKERS, brokerGate } from '@/lib/testing/brokers';
import {
  exportAndReadFlows,
  startInProcessDashboard,
  stopInProcessDashboard,
  tempDataDir,
} from '@/lib/testing/in-process-dashboard';
import { tracedService as service } from '@/lib/testing/traced-service';

// One producer writes to topics t-a-<run> and t-b-<run>. Consumer group g1
// subscribes by regex (/t-.-<run>/, both topics), g2 to t-a only, each in its
// own instrumented service. Kafka delivers every message to every group, so
// t-a fans out to two groups; the regex subscription reports each concrete
// topic (kafkajs hands over `topic` per message). Spans and metrics go
// through the dashboard's OTLP routes.
const gate = await brokerGate('kafka');
const dataDir = tempDataDir('signalbox-kafka-topology-');
const TO_A = 5;
const TO_B = 3;

describe.skipIf(gate.skip)(
  'Kafka consumer groups on the flow graph (real broker, our instrumentation)',
  () => {
    const run = randomUUID().slice(0, 8);
    const topicA = `t-a-${run}`;
    const topicB = `t-b-${run}`;
    const g1 = `g1-${run}`;
    const g2 = `g2-${run}`;
    const shop = service(`shop-${run}`);
    const regexReader = service(`regex-reader-${run}`);
    const aReader = service(`a-reader-${run}`);
    const kafka = new Kafka({
      brokers: [`${BROKERS.kafka.host}:${BROKERS.kafka.port}`],
      logLevel: logLevel.NOTHING,
    });
    let graph: FlowGraph;
    const closers: (() => Promise<unknown>)[] = [];

    beforeAll(async () => {
      const routes = await startInProcessDashboard();
      const admin = kafka.admin();
      await admin.connect();
      // Created first: kafkajs resolves a regex subscription against the topics that exist.
      await admin.createTopics({
        topics: [topicA, topicB].map((topic) => ({ topic, numPartitions: 1 })),
        waitForLeaders: true,
      });
      closers.push(async () => {
        await admin.deleteTopics({ topics: [topicA, topicB] }).catch(() => undefined);
        await admin.disconnect();
      });

      const expected = new Map([
        [g1, TO_A + TO_B],
        [g2, TO_A],
      ]);
      const received = new Map<string, number>();
      let resolveAll: () => void;
      const allReceived = new Promise<void>((resolve) => (resolveAll = resolve));
      const start = async (s: ReturnType<typeof service>, groupId: string, topics: (string | RegExp)[]) => {
        const consumer = instrumentKafkaConsumer(kafka.consumer({ groupId }), { ...s.options, groupId });
        await consumer.connect();
        closers.push(() => consumer.disconnect());
        await consumer.subscribe({ topics, fromBeginning: true });
        await consumer.run({
          eachMessage: () => {
            received.set(groupId, (received.get(groupId) ?? 0) + 1);
            if ([...expected].every(([g, n]) => received.get(g) === n)) resolveAll();
            return Promise.resolve();
          },
        });
      };
      await start(regexReader, g1, [new RegExp(`t-.-${run}`)]);
      await start(aReader, g2, [topicA]);

      const producer = instrumentKafkaProducer(kafka.producer(), shop.options);
      await producer.connect();
      closers.push(() => producer.disconnect());
      for (let i = 0; i < TO_A; i++) await producer.send({ topic: topicA, messages: [{ value: `a ${i}` }] });
      for (let i = 0; i < TO_B; i++) await producer.send({ topic: topicB, messages: [{ value: `b ${i}` }] });
      await allReceived;
      await sleep(300); // process spans end after the handler returns
      expect(Object.fromEntries(received)).toEqual(Object.fromEntries(expected));

      graph = await exportAndReadFlows(routes, [shop, regexReader, aReader]);
    }, 120_000);

    afterAll(async () => {
      for (const close of closers.reverse()) await close().catch(() => undefined);
      await stopInProcessDashboard([shop, regexReader, aReader], dataDir);
    });

    const node = (topic: string) => `destination:kafka:${topic}`;
    const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));

    it('fans one topic out to every group, one deliver edge per group, and resolves the regex to topics', () => {
      const edges = graph.edges
        .filter((e) => e.id.includes(run))
        .map((e) => [e.kind, e.source, e.target, e.consumerGroup, e.messages])
        .sort(byJson);
      expect(edges).toEqual(
        [
          ['publish', `service:shop-${run}`, node(topicA), null, TO_A],
          ['publish', `service:shop-${run}`, node(topicB), null, TO_B],
          ['deliver', node(topicA), `service:regex-reader-${run}`, g1, TO_A],
          ['deliver', node(topicB), `service:regex-reader-${run}`, g1, TO_B],
          ['deliver', node(topicA), `service:a-reader-${run}`, g2, TO_A],
        ].sort(byJson),
      );
      // One node per topic, no node for the regex.
      const topics = graph.nodes.filter((n) => n.id.includes(run) && n.kind === 'destination');
      expect(topics.map((n) => [n.id, n.role]).sort(byJson)).toEqual([
        [node(topicA), 'topic'],
        [node(topicB), 'topic'],
      ]);
    });

    it('lists each group once per topic it reads, with its own count', () => {
      const groups = graph.consumerGroups
        .filter((g) => g.name.includes(run))
        .map((g) => [g.name, g.destination, g.messages])
        .sort(byJson);
      expect(groups).toEqual(
        [
          [g1, topicA, TO_A],
          [g1, topicB, TO_B],
          [g2, topicA, TO_A],
        ].sort(byJson),
      );
    });
  },
);
