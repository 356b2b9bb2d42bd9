import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseFlows } from '@/lib/analytics/flows';
import { parseTimeRange } from '@/lib/analytics/time-range';
import type { DuckDbStore } from '@/lib/store/duckdb-store';
import type { SeriesTotals } from '@/lib/store/types';
import { type BrokerName, brokerGate } from '@/lib/testing/brokers';
import { buildPackage, runScript } from '../../instrumentation/test/support/child';
import { COMBINATIONS, COUNT_ONCE_SCENARIO, type Combination } from './testing/count-once-scenario';
import type { OtlpServer } from './otlp-server';
import { openListenerStore, startLoopbackListener } from './testing/listener';

// Every message counted once, however Signalbox was set up (issue: register() plus
// the README's instrumentNatsConnection counted 24 for 12 messages). Each case is
// a real service process on a real broker, exporting with the OpenTelemetry Node
// SDK's OTLP exporters to a real OTLP listener and DuckDB store; the test reads
// back the stored span and metric counts and the flow graph.
const BROKERS = ['kafka', 'rabbitmq', 'sqs', 'nats', 'redis', 'mqtt', 'bullmq'] as const;
type Broker = (typeof BROKERS)[number];
const GATE_NAME: Record<Broker, BrokerName> = {
  kafka: 'kafka',
  rabbitmq: 'rabbitmq',
  sqs: 'sqs',
  nats: 'nats',
  redis: 'redis',
  mqtt: 'mqtt',
  bullmq: 'redis',
};
// Contrib covers these clients (instrumentation-kafkajs, -amqplib, -aws-sdk).
const CONTRIB_COVERS = new Set<Broker>(['kafka', 'rabbitmq', 'sqs']);
const N = 7;

const gate = await brokerGate(...new Set(BROKERS.map((b) => GATE_NAME[b])));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-count-once-'));
let store: DuckDbStore;
let server: OtlpServer;
let built: Awaited<ReturnType<typeof buildPackage>>;

/** Names a case's destination, and for NATS and MQTT the wildcard its consumer subscribes to. */
function destinations(broker: Broker) {
  const id = randomUUID().slice(0, 8);
  if (broker === 'nats') return { dest: `count.${id}.orders.eu`, pattern: `count.${id}.orders.*` };
  if (broker === 'mqtt') return { dest: `count/${id}/orders/eu`, pattern: `count/${id}/orders/+` };
  return { dest: `signalbox-count-${broker}-${id}`, pattern: '' };
}

const cases = BROKERS.flatMap((broker) =>
  (Object.keys(COMBINATIONS) as Combination[])
    .filter((combination) => combination !== 'contrib beside ours' || CONTRIB_COVERS.has(broker))
    .map((combination) => ({ broker, combination })),
);

describe.skipIf(gate.skip)('every message counted once, on the real brokers', () => {
  beforeAll(async () => {
    store = await openListenerStore(path.join(dir, 'count.duckdb'), 100_000);
    server = await startLoopbackListener(store, { maxBodyBytes: 16 * 1024 * 1024 });
    built = await buildPackage();
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await store?.close();
    await built?.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each(cases)('$broker, $combination: N sends, N processings, N on every edge', async (c) => {
    const service = `count-${c.broker}-${randomUUID().slice(0, 8)}`;
    const { dest, pattern } = destinations(c.broker);
    const { sdk, when } = COMBINATIONS[c.combination];
    await runScript(built.dir, `${service}.cjs`, COUNT_ONCE_SCENARIO, [], {
      BROKER: c.broker,
      SDK: sdk,
      WHEN: when,
      N: String(N),
      SERVICE: service,
      DEST: dest,
      DEST_PATTERN: pattern,
      GROUP: `${service}-group`,
      SIGNALBOX_DIST: built.file(''),
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${server.port}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_LOGS_EXPORTER: 'none',
      OTEL_METRIC_EXPORT_INTERVAL: '60000',
    });

    const range = parseTimeRange('15m', 'now');
    const ours = (await store.seriesTotals(range)).filter((t) => t.dims.service === service);
    const total = (source: 'spans' | 'metrics', kind: string) =>
      ours
        .filter((t) => t.dims.source === source && t.dims.kind === kind)
        .reduce((sum, t: SeriesTotals) => sum + t.messages, 0);
    // The spans: one send and one processing per message.
    expect(total('spans', 'publish'), 'send spans').toBe(N);
    // (A process span counts its message on the delivery series; `process` holds its duration.)
    expect(total('spans', 'delivery'), 'process spans').toBe(N);
    // The metrics: every counter and histogram of this service counted each message once.
    const metricSeries = ours.filter((t) => t.dims.source === 'metrics' && t.messages > 0);
    expect(metricSeries.length, 'metric series').toBeGreaterThan(0);
    for (const t of metricSeries) expect(t.messages, `${t.dims.kind} ${t.dims.destination}`).toBe(N);
    // Spans and metrics name the consumer's destination alike: one edge into the consumer.
    const { graph } = analyseFlows(range, ours);
    const into = graph.edges.filter((e) => e.target === `service:${service}`);
    const out = graph.edges.filter((e) => e.source === `service:${service}`);
    expect(into.map((e) => [e.source, e.messages])).toEqual([[expect.any(String), N]]);
    expect(out.map((e) => [e.target, e.messages])).toEqual([[expect.any(String), N]]);
    if (pattern) {
      // A wildcard subscriber: the subject it was published to routes to the subscription.
      const system = c.broker;
      expect(out[0]?.target).toBe(`destination:${system}:${dest}`);
      expect(into[0]?.source).toBe(`destination:${system}:${pattern}`);
      const routes = graph.edges.filter((e) => e.kind === 'route');
      expect(routes.map((e) => [e.source, e.target, e.messages])).toEqual([
        [`destination:${system}:${dest}`, `destination:${system}:${pattern}`, N],
      ]);
    }
  });
});
