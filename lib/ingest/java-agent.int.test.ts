import { execFile, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowGraph } from '@/lib/analytics/flows';
import type { TelemetryStore } from '@/lib/store/types';
import { brokerGate } from '@/lib/testing/brokers';
import { toProtobuf } from '@/lib/testing/otlp-fixtures';
import type { MessagingSpan } from '@/lib/model/span';
import { startOtlpGrpcServer } from './otlp-grpc-server';
import type { OtlpServer } from './otlp-server';
import { consumeKafkaInNode, publishFromNode } from './testing/node-broker-peers';
import { startLoopbackListener } from './testing/listener';

// The real OpenTelemetry Java agent on plain Java clients (Kafka, RabbitMQ,
// SQS on ElasticMQ, NATS) through the real brokers, exporting OTLP
// http/protobuf to the dashboard's listener, then read back through the APIs.
// One JVM per semconv setting runs every scenario (JVM start-up is the slow part).
const gate = await brokerGate('kafka', 'rabbitmq', 'sqs', 'nats');
const MESSAGES = 3;

/** The agent jar and the compiled clients; fails in CI, skips elsewhere, when they cannot be built. */
function javaClients(): { agent: string; classpath: string } | { skip: string } {
  try {
    const out = execFileSync('bash', ['scripts/brokers/java-clients.sh', 'build'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const value = (key: string) => new RegExp(`^${key}=(.*)$`, 'm').exec(out)?.[1];
    return { agent: value('AGENT')!, classpath: value('CLASSPATH')! };
  } catch (error) {
    const reason = `Java agent clients unavailable (scripts/brokers/java-clients.sh build): ${String(error)}`;
    if (process.env.CI) throw new Error(reason, { cause: error });
    console.warn(`skipping: ${reason}`);
    return { skip: reason };
  }
}
const java = gate.skip ? { skip: gate.reason } : javaClients();

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-javaagent-'));
process.env.SIGNALBOX_DATA_DIR = dataDir;

/**
 * The two agent settings every scenario runs under. The second also exports over OTLP/gRPC, gzip
 * on (the agent's own gRPC exporter, to the :4317 listener); the first over OTLP/HTTP.
 */
const MODES = [
  { label: 'defaults', service: 'java-defaults', grpc: false, flags: [] as string[] },
  {
    label: 'otel.semconv-stability.opt-in=messaging, over OTLP/gRPC',
    service: 'java-messaging-optin',
    grpc: true,
    flags: ['-Dotel.semconv-stability.opt-in=messaging', '-Dotel.exporter.otlp.compression=gzip'],
  },
] as const;
const run = randomUUID().slice(0, 8);
const runOf = (service: string) => `${service}-${run}`;
// Our own instrumentation on the other side of the broker from the agent.
const NODE_PUBLISHER = 'node-publisher';
const NODE_CONSUMER = 'node-consumer';
const nodeToJavaQueue = (service: string) => `node-to-java-${runOf(service)}`;

describe.skipIf('skip' in java)('OpenTelemetry Java agent → real brokers → OTLP → APIs', () => {
  const received: MessagingSpan[] = [];
  let server: OtlpServer;
  let grpcServer: OtlpServer;
  let flows: typeof import('@/app/api/flows/route');
  let store: TelemetryStore;

  beforeAll(async () => {
    const { getStore } = await import('@/lib/runtime');
    store = await getStore();
    flows = await import('@/app/api/flows/route');
    // Records what the receiver made of the agent's spans, then stores them as usual.
    const appendSpans = (spans: readonly MessagingSpan[]) => {
      received.push(...spans);
      return store.appendSpans(spans);
    };
    const recording = new Proxy(store, {
      get: (target, key) =>
        key === 'appendSpans' ? appendSpans : (Reflect.get(target, key, target) as unknown),
    });
    server = await startLoopbackListener(recording, { maxBodyBytes: 16 * 1024 * 1024 });
    grpcServer = (await startOtlpGrpcServer({
      store: () => Promise.resolve(recording),
      maxBodyBytes: 16 * 1024 * 1024,
      maxInflightBytes: 64 * 1024 * 1024,
      token: null,
      host: '127.0.0.1',
      port: 0,
    }))!;
    const exportFromNode = async (spans: Parameters<typeof toProtobuf>[0]) => {
      const response = await fetch(`http://127.0.0.1:${server.port}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body: Buffer.from(toProtobuf(spans)),
      });
      expect(response.status).toBe(200);
    };
    for (const mode of MODES)
      await exportFromNode(await publishFromNode(NODE_PUBLISHER, nodeToJavaQueue(mode.service), MESSAGES));
    const { agent, classpath } = java as { agent: string; classpath: string };
    await Promise.all(
      MODES.map((mode) =>
        promisify(execFile)(
          'java',
          [
            `-javaagent:${agent}`,
            '-XX:TieredStopAtLevel=1',
            `-Dotel.service.name=${mode.service}`,
            `-Dotel.exporter.otlp.protocol=${mode.grpc ? 'grpc' : 'http/protobuf'}`,
            `-Dotel.exporter.otlp.endpoint=http://127.0.0.1:${(mode.grpc ? grpcServer : server).port}`,
            '-Dotel.metrics.exporter=none',
            '-Dotel.logs.exporter=none',
            '-Dotel.bsp.schedule.delay=200',
            ...mode.flags,
            '-cp',
            classpath,
            'AgentScenarios',
            runOf(mode.service),
            String(MESSAGES),
            'kafka',
            'rabbit-default',
            'rabbit-exchange',
            'sqs',
            'nats',
            'jms',
            `rabbit-consume:${nodeToJavaQueue(mode.service)}`,
          ],
          { timeout: 150_000 },
        ),
      ),
    );
    for (const mode of MODES) {
      const topic = `java-kafka-${runOf(mode.service)}`;
      await exportFromNode(
        await consumeKafkaInNode(NODE_CONSUMER, topic, `${NODE_CONSUMER}-${run}`, MESSAGES),
      );
    }
  }, 170_000);

  afterAll(async () => {
    await server?.close();
    await grpcServer?.close();
    await store?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const graph = async (): Promise<FlowGraph> => {
    const response = await flows.GET(new Request('http://localhost/api/flows?from=15m'));
    expect(response.status).toBe(200);
    return (await response.json()) as FlowGraph;
  };
  /** The one edge from source to target (a consumer group, when any, follows the target as #group). */
  const edge = (g: FlowGraph, source: string, target: string) => {
    const found = g.edges.filter(
      (e) => e.id === `${source}->${target}` || e.id.startsWith(`${source}->${target}#`),
    );
    expect(found, `edges ${source} -> ${target}`).toHaveLength(1);
    return found[0]!;
  };
  const spansOf = (service: string, destination: string, op: MessagingSpan['operationType']) =>
    received.filter((s) => s.service === service && s.destination === destination && s.operationType === op);
  /**
   * Every process span continues its own send: linked to it, or else in its trace. (A link wins:
   * with the messaging opt-in, the agent's JMS listener spans all share one trace but each links
   * to its own send.)
   */
  const expectTracesContinue = (sends: MessagingSpan[], processes: MessagingSpan[]) => {
    expect(sends).toHaveLength(MESSAGES);
    expect(processes).toHaveLength(MESSAGES);
    const continued = processes.map(
      (p) =>
        sends.find((s) => p.links.some((l) => l.spanId === s.spanId)) ??
        sends.find((s) => s.traceId === p.traceId),
    );
    expect(continued.every(Boolean), 'every process span continues a send').toBe(true);
    expect(new Set(continued).size, 'each from its own send').toBe(MESSAGES);
  };
  /** Settles whose parent is one of these process spans (the ack inside the handler). */
  const settlesUnder = (processes: MessagingSpan[]) => {
    const ids = new Set(processes.map((p) => p.spanId));
    return received.filter(
      (s) => s.operationType === 'settle' && s.parentSpanId !== null && ids.has(s.parentSpanId),
    );
  };

  describe.each(MODES)('agent with $label', ({ service }) => {
    const r = runOf(service);
    const svc = `service:${service}`;

    /** The service's sends and deliveries on destination, as graph edges and as continued traces. */
    const expectRoundTrip = async (system: string, destination: string) => {
      const node = `destination:${system}:${destination}`;
      const processes = spansOf(service, destination, 'process');
      expectTracesContinue(spansOf(service, destination, 'send'), processes);
      const g = await graph();
      expect(edge(g, svc, node).messages).toBe(MESSAGES);
      const delivery = edge(g, node, svc);
      expect(delivery).toMatchObject({ messages: MESSAGES, errors: 0 });
      return { graph: g, delivery, processes };
    };

    it('Kafka: producer → topic → consumer group, every record processed in the send’s trace', async () => {
      const topic = `java-kafka-${r}`;
      const { delivery } = await expectRoundTrip('kafka', topic);
      expect(delivery.consumerGroup).toBe(`${topic}-group`);
    });

    it('RabbitMQ default exchange: the publish and the consumer are both on the queue, acks are settles', async () => {
      const { graph: g, processes } = await expectRoundTrip('rabbitmq', `java-rabbit-${r}`);
      expect(g.nodes.some((n) => n.id.includes('<default>'))).toBe(false);
      expect(settlesUnder(processes)).toHaveLength(MESSAGES);
    });

    it('RabbitMQ named exchange: publisher → exchange → queue → consumer, connected, trace continued', async () => {
      // Defaults name only the exchange (the queue is in the process span's name); the opt-in names
      // `{exchange}:{key}` and `{exchange}:{key}:{queue}` as ours does. Both draw the same graph.
      const published = `java-exchange-${r}:orders.created`;
      const delivered = `${published}:java-exchange-queue-${r}`;
      const sends = spansOf(service, published, 'send');
      const processes = spansOf(service, delivered, 'process');
      for (const s of [...sends, ...processes]) expect(s.routingKey).toBe('orders.created');
      expectTracesContinue(sends, processes);
      expect(settlesUnder(processes)).toHaveLength(MESSAGES);
      const g = await graph();
      const node = (name: string) => `destination:rabbitmq:${name}`;
      expect(edge(g, svc, node(published))).toMatchObject({ kind: 'publish', messages: MESSAGES });
      expect(edge(g, node(published), node(delivered))).toMatchObject({ kind: 'route', messages: MESSAGES });
      expect(edge(g, node(delivered), svc)).toMatchObject({ kind: 'deliver', messages: MESSAGES });
      expect(g.nodes.find((n) => n.id === node(published))?.role).toBe('exchange');
    });

    it('Java producer → Kafka → Node consumer (@signalbox/instrumentation): edge and trace continue', async () => {
      const topic = `java-kafka-${r}`;
      const g = await graph();
      expect(edge(g, `destination:kafka:${topic}`, `service:${NODE_CONSUMER}`)).toMatchObject({
        messages: MESSAGES,
        consumerGroup: `${NODE_CONSUMER}-${run}`,
      });
      expectTracesContinue(spansOf(service, topic, 'send'), spansOf(NODE_CONSUMER, topic, 'process'));
    });

    it('Node publisher (@signalbox/instrumentation) → RabbitMQ → Java consumer: edges and trace continue', async () => {
      const queue = nodeToJavaQueue(service);
      const g = await graph();
      expect(edge(g, `service:${NODE_PUBLISHER}`, `destination:rabbitmq:${queue}`).messages).toBe(MESSAGES);
      expect(edge(g, `destination:rabbitmq:${queue}`, svc).messages).toBe(MESSAGES);
      const processes = spansOf(service, queue, 'process');
      expectTracesContinue(spansOf(NODE_PUBLISHER, queue, 'send'), processes);
      expect(settlesUnder(processes)).toHaveLength(MESSAGES);
    });

    it('SQS (AWS SDK v2 on ElasticMQ): send → queue → receiver, each message processed in the send’s trace', async () => {
      await expectRoundTrip('aws_sqs', `java-sqs-${r}`);
    });

    it('JMS (Jakarta) on an embedded ActiveMQ Artemis broker: producer → queue → listener in the send’s trace', async () => {
      await expectRoundTrip('jms', `java-jms-${r}`);
    });

    it('NATS (jnats): publish → subject → dispatcher handler in the publish’s trace', async () => {
      await expectRoundTrip('nats', `java-nats-${r}`);
    });
  });

  it('SQS deletes are settles under the process spans, with either setting', () => {
    for (const { service } of MODES) {
      const processes = spansOf(service, `java-sqs-${runOf(service)}`, 'process');
      const deletes = settlesUnder(processes);
      expect(deletes).toHaveLength(MESSAGES);
      for (const d of deletes)
        expect(d).toMatchObject({ system: 'aws_sqs', destination: `java-sqs-${runOf(service)}` });
    }
  });
});
