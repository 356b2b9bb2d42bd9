import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnomalyReport } from '@/lib/analytics/anomalies';
import type { FlowGraph } from '@/lib/analytics/flows';
import type { Journey } from '@/lib/analytics/journeys';
import type { LatencyReport } from '@/lib/analytics/latency';
import {
  type ForeignSpan,
  foreignJson,
  foreignProtobuf,
  newSpanId,
  newTraceId,
} from './testing/foreign-spans';

// OTLP in the shapes other SDKs send, with their older attribute names and
// parent-child traces: the Java agent 1.x and 2.x on Kafka, Python Celery
// (no messaging.system at all), a Go NATS service, and one message each from Go
// Sarama (otelsarama), Go Pub/Sub, .NET Azure Service Bus and .NET MassTransit.
// Real DuckDB, real routes.
// These SDKs do not run here, so the spans are hand-built; each fixture says where
// its shape comes from. No release of them is pinned: the tests check that ingest
// reads these names, not that a given release sends them. (The Java agent 2.33.1
// itself runs for real in java-agent.int.test.ts.)
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-foreign-'));
process.env.SIGNALBOX_DATA_DIR = dataDir;
const routes = {
  traces: await import('@/app/v1/traces/route'),
  flows: await import('@/app/api/flows/route'),
  latency: await import('@/app/api/latency/route'),
  journeys: await import('@/app/api/journeys/route'),
  anomalies: await import('@/app/api/anomalies/route'),
};
const { getStore } = await import('@/lib/runtime');

const T = Date.now() - 5 * 60_000;
const celeryTask = `c0ffee-${newSpanId()}`;
const java1: ForeignSpan[] = [];
const java2: ForeignSpan[] = [];
const celery: ForeignSpan[] = [];
const goNats: ForeignSpan[] = [];
const kafkaPoll: ForeignSpan[] = [];
let twoHopTrace = '';

/** One message of an SDK: its send span and the consumer span that continues the send's trace. */
function oneMessage(
  at: number,
  send: Omit<ForeignSpan, 'traceId' | 'spanId' | 'startMs' | 'durationMs'>,
  consume: Omit<ForeignSpan, 'traceId' | 'spanId' | 'startMs' | 'durationMs'>,
): [ForeignSpan, ForeignSpan] {
  const traceId = newTraceId();
  const s: ForeignSpan = { ...send, traceId, spanId: newSpanId(), startMs: T + at, durationMs: 1 };
  return [
    s,
    { ...consume, traceId, spanId: newSpanId(), parentSpanId: s.spanId, startMs: T + at + 20, durationMs: 3 },
  ];
}

/**
 * Go Kafka, Sarama with otelsarama. Shape: open-telemetry/opentelemetry-go-contrib,
 * instrumentation/github.com/IBM/sarama/otelsarama/producer.go (commit 9749f7ca) and dispatcher.go
 * (commit 0cabacfb), semconv v1.43.0: `send {topic}` (producer) and `process {topic}` (consumer, a child
 * of the send through the record's headers), messaging.operation.name/type, messaging.destination.partition.id,
 * messaging.kafka.offset. The consumer span carries no consumer group.
 */
const goSarama = oneMessage(
  400,
  {
    name: 'send stock-events',
    kind: 4,
    attributes: {
      'messaging.system': 'kafka',
      'messaging.destination.name': 'stock-events',
      'messaging.operation.name': 'send',
      'messaging.operation.type': 'send',
      'messaging.destination.partition.id': '0',
      'messaging.kafka.offset': 41,
    },
  },
  {
    name: 'process stock-events',
    kind: 5,
    attributes: {
      'messaging.system': 'kafka',
      'messaging.destination.name': 'stock-events',
      'messaging.destination.partition.id': '0',
      'messaging.kafka.offset': 41,
      'messaging.operation.name': 'process',
      'messaging.operation.type': 'process',
    },
  },
);

/**
 * .NET MassTransit over RabbitMQ, its `MassTransit` ActivitySource. Shape: MassTransit/MassTransit v8.5.8
 * (commit c1e5caa9): src/MassTransit/Logging/Diagnostics/LogContextActivityExtensions.cs and DiagnosticHeaders.cs.
 * The send activity (producer) is `{exchange} send` (Transports/BaseSendTransportContext.cs) with
 * messaging.operation `send`, messaging.system `rabbitmq` and the exchange in messaging.destination.name; a
 * published message's exchange is named after its type, `{namespace}:{type}`
 * (RabbitMqTransport/RabbitMqMessageNameFormatter.cs); the routing key is set only when non-empty. The receive
 * activity (consumer, child of the send through the MT-Activity-Id header) is `{queue} receive`
 * (Transports/ReceivePipeDispatcher.cs) with messaging.operation `receive`, the queue in
 * messaging.destination.name and messaging.masstransit.input_address, but no messaging.system. Its child
 * `{queue} process` activity (operation `process`, consumer type) names neither system nor destination and is
 * left out. Semconv: messaging attribute names of 1.24-1.26 (messaging.operation).
 */
const dotnetMassTransit = oneMessage(
  700,
  {
    name: 'Acme.Contracts:OrderSubmitted send',
    kind: 4,
    attributes: {
      'messaging.operation': 'send',
      'messaging.system': 'rabbitmq',
      'messaging.destination.name': 'Acme.Contracts:OrderSubmitted',
      'messaging.masstransit.message_id': 'mt-1',
      'messaging.masstransit.destination_address': 'rabbitmq://localhost/Acme.Contracts:OrderSubmitted',
      'messaging.masstransit.message_types': 'urn:message:Acme.Contracts:OrderSubmitted',
    },
  },
  {
    name: 'order-submitted receive',
    kind: 5,
    attributes: {
      'messaging.operation': 'receive',
      'messaging.destination.name': 'order-submitted',
      'messaging.masstransit.input_address': 'rabbitmq://localhost/order-submitted',
      'messaging.message.id': 'mt-1',
    },
  },
);

/**
 * Azure Service Bus, the .NET SDK (Azure.Messaging.ServiceBus) with its ActivitySource on. Shape:
 * Azure/azure-sdk-for-net, sdk/core/Azure.Core/src/Shared/MessagingClientDiagnostics.cs (commit 0784e789):
 * messaging.system `servicebus`, messaging.operation, server.address (the namespace's host) and
 * messaging.destination.name (the entity path); az.namespace `Microsoft.ServiceBus` is the resource
 * provider namespace the Service Bus scope factory passes (servicebus/.../Diagnostics/EntityScopeFactory.cs).
 * Span names from DiagnosticProperty.cs: `Message` (producer, one per message, its context in the message's
 * Diagnostic-Id/traceparent) and `ServiceBusProcessor.ProcessMessage` (consumer). A subscription receiver's
 * entity path is `{topic}/Subscriptions/{subscription}` (EntityNameFormatter.FormatSubscriptionPath). The
 * processor span is linked to the message span here; whether a given release links or parents it was not
 * checked. Semconv: messaging attribute names of 1.24-1.26 (messaging.operation).
 */
const dotnetServiceBus = oneMessage(
  600,
  {
    name: 'Message',
    kind: 4,
    attributes: {
      'az.namespace': 'Microsoft.ServiceBus',
      'messaging.system': 'servicebus',
      'server.address': 'acme.servicebus.windows.net',
      'messaging.destination.name': 'payments',
    },
  },
  {
    name: 'ServiceBusProcessor.ProcessMessage',
    kind: 5,
    attributes: {
      'az.namespace': 'Microsoft.ServiceBus',
      'messaging.system': 'servicebus',
      'messaging.operation': 'process',
      'server.address': 'acme.servicebus.windows.net',
      'messaging.destination.name': 'payments/Subscriptions/fraud-check',
      'messaging.servicebus.message.delivery_count': 1,
    },
  },
);
delete dotnetServiceBus[1].parentSpanId;
dotnetServiceBus[1].traceId = newTraceId();
dotnetServiceBus[1].links = [{ traceId: dotnetServiceBus[0].traceId, spanId: dotnetServiceBus[0].spanId }];

/**
 * Google Cloud Pub/Sub, the Go client library v2. Shape: googleapis/google-cloud-go, pubsub/v2/trace.go
 * (commit 3cefa70f): `{topic} create` (producer) and `{subscription} subscribe` (consumer), both with
 * messaging.system `gcp_pubsub`, gcp.project_id and messaging.destination.name, which names the topic on
 * the create span and the subscription on the subscribe span; the subscribe span also carries
 * messaging.batch.message_count, the ack id and messaging.gcp_pubsub.message.delivery_attempt when
 * dead-lettering is on. The trace context travels in the message's `googclient_` attributes; the fixture
 * makes the subscribe span a child of the create span.
 */
const goPubsub = oneMessage(
  500,
  {
    name: 'shipments create',
    kind: 4,
    attributes: {
      'messaging.system': 'gcp_pubsub',
      'gcp.project_id': 'acme-prod',
      'messaging.destination.name': 'shipments',
      'messaging.message.id': 'ps-1',
      'messaging.message.body.size': 42,
    },
  },
  {
    name: 'shipments-tracker subscribe',
    kind: 5,
    attributes: {
      'messaging.system': 'gcp_pubsub',
      'gcp.project_id': 'acme-prod',
      'messaging.destination.name': 'shipments-tracker',
      'messaging.message.id': 'ps-1',
      'messaging.batch.message_count': 1,
      'messaging.gcp_pubsub.message.ack_id': 'ack-1',
      'messaging.gcp_pubsub.message.delivery_attempt': 1,
      'messaging.gcp_pubsub.result': 'acked',
    },
  },
);

/**
 * Java agent 1.x (semconv ~1.10): messaging.destination, messaging.kafka.partition, no operation on sends.
 * Shape: the messaging semantic conventions' names before 1.17 (messaging.destination,
 * messaging.destination_kind, messaging.kafka.partition, messaging.kafka.consumer_group), as the agent's
 * early 1.x Kafka instrumentation sent them, plus its experimental `kafka.record.queue_time_ms`.
 */
function java1Hop(i: number, offset: number, processAtMs: number) {
  const traceId = newTraceId();
  const send: ForeignSpan = {
    traceId,
    spanId: newSpanId(),
    name: 'legacy-orders send',
    kind: 4,
    startMs: T + i * 10,
    durationMs: 1.5,
    attributes: {
      'messaging.system': 'kafka',
      'messaging.destination': 'legacy-orders',
      'messaging.destination_kind': 'topic',
    },
  };
  java1.push(send, {
    traceId,
    spanId: newSpanId(),
    parentSpanId: send.spanId,
    name: 'legacy-orders process',
    kind: 5,
    startMs: processAtMs,
    durationMs: 3,
    attributes: {
      'messaging.system': 'kafka',
      'messaging.destination': 'legacy-orders',
      'messaging.destination_kind': 'topic',
      'messaging.operation': 'process',
      'messaging.kafka.partition': 0,
      'messaging.kafka.consumer_group': 'legacy-billing',
      'messaging.kafka.message.offset': offset,
      'kafka.record.queue_time_ms': 12,
    },
  });
}

beforeAll(async () => {
  // Java 1.x: offsets 10..14, processed in order except 13 before 12; offset 11 processed twice.
  [10, 11, 13, 12, 14].forEach((offset, i) => java1Hop(i, offset, T + 100 + i * 10));
  java1Hop(5, 11, T + 200);

  // Java 2.x checkout → Kafka "orders" → billing → NATS "payments" → Go notifier, one trace (parent mode).
  // Shapes: the Kafka hop uses semconv 1.24–1.26 names (messaging.operation `publish`/`process`,
  // messaging.kafka.consumer.group, messaging.destination.partition.id), the Java agent 2.x defaults;
  // the Go NATS hop uses messaging.operation.type with its pre-1.27 values `publish`/`deliver`. No Go
  // NATS instrumentation is pinned in this repo: the NATS spans are written from those semconv names.
  twoHopTrace = newTraceId();
  const send1: ForeignSpan = {
    traceId: twoHopTrace,
    spanId: newSpanId(),
    name: 'orders publish',
    kind: 4,
    startMs: T,
    durationMs: 2,
    attributes: {
      'messaging.system': 'kafka',
      'messaging.destination.name': 'orders',
      'messaging.operation': 'publish',
      'messaging.kafka.message.key': 'cust-1',
    },
  };
  const process1: ForeignSpan = {
    traceId: twoHopTrace,
    spanId: newSpanId(),
    parentSpanId: send1.spanId,
    name: 'orders process',
    kind: 5,
    startMs: T + 40,
    durationMs: 30,
    attributes: {
      'messaging.system': 'kafka',
      'messaging.destination.name': 'orders',
      'messaging.operation': 'process',
      'messaging.kafka.consumer.group': 'billing',
      'messaging.destination.partition.id': '2',
      'messaging.kafka.message.offset': 7,
    },
  };
  const send2: ForeignSpan = {
    traceId: twoHopTrace,
    spanId: newSpanId(),
    parentSpanId: process1.spanId,
    name: 'payments publish',
    kind: 4,
    startMs: T + 50,
    durationMs: 1,
    attributes: {
      'messaging.system': 'nats',
      'messaging.destination.name': 'payments',
      'messaging.operation.type': 'publish',
    },
  };
  java2.push(send1, process1);
  goNats.push(send2);
  goNats.push({
    traceId: twoHopTrace,
    spanId: newSpanId(),
    parentSpanId: send2.spanId,
    name: 'payments receive',
    kind: 5,
    startMs: T + 65,
    durationMs: 4,
    attributes: {
      'messaging.system': 'nats',
      'messaging.destination.name': 'payments',
      'messaging.operation.type': 'deliver',
      'server.address': 'nats',
    },
  });

  // A Kafka consumer with plain client instrumentation: no process spans, one receive span per poll in a
  // trace of its own, linked to the sends of the records it returned and counting them (older operation and
  // consumer group attribute names). Shape: semconv 1.24–1.26 names (messaging.operation `receive`,
  // messaging.kafka.consumer.group, messaging.batch.message_count) with one link per returned record, as
  // the messaging conventions describe a batch receive; no particular client is pinned.
  const ledgerSends = [250, 260].map((at): ForeignSpan => ({
    traceId: newTraceId(),
    spanId: newSpanId(),
    name: 'ledger-events send',
    kind: 4,
    startMs: T + at,
    durationMs: 1,
    attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': 'ledger-events' },
  }));
  kafkaPoll.push(...ledgerSends, {
    traceId: newTraceId(),
    spanId: newSpanId(),
    links: ledgerSends.map((x) => ({ traceId: x.traceId, spanId: x.spanId })),
    name: 'ledger-events receive',
    kind: 5,
    startMs: T + 300,
    durationMs: 2,
    attributes: {
      'messaging.system': 'kafka',
      'messaging.destination.name': 'ledger-events',
      'messaging.operation': 'receive',
      'messaging.kafka.consumer.group': 'ledger',
      'messaging.batch.message_count': 2,
    },
  });

  // Celery: apply_async, a failed run, then a retried run of the same task id. Shape: Python's
  // opentelemetry-instrumentation-celery (opentelemetry-python-contrib): span names
  // `apply_async/{task}` and `run/{task}`, celery.action / celery.task_name and no messaging.system;
  // messaging.message_id and messaging.destination are the pre-1.17 names its older releases send.
  const traceId = newTraceId();
  const apply: ForeignSpan = {
    traceId,
    spanId: newSpanId(),
    name: 'apply_async/tasks.charge',
    kind: 4,
    startMs: T + 5,
    durationMs: 1,
    attributes: {
      'celery.action': 'apply_async',
      'celery.task_name': 'tasks.charge',
      'messaging.message_id': celeryTask,
      'messaging.destination': 'celery',
    },
  };
  const run = (startMs: number, retries: number, error?: string): ForeignSpan => ({
    traceId,
    spanId: newSpanId(),
    parentSpanId: apply.spanId,
    name: 'run/tasks.charge',
    kind: 5,
    startMs,
    durationMs: 8,
    error,
    attributes: {
      'celery.action': 'run',
      'celery.task_name': 'tasks.charge',
      'messaging.message_id': celeryTask,
      'messaging.destination': 'celery',
      'celery.state': error ? 'RETRY' : 'SUCCESS',
      ...(retries > 0 ? { 'celery.retries': retries } : {}),
    },
  });
  celery.push(apply, run(T + 30, 0, 'ConnectionError: card service down'), run(T + 1030, 1));

  const post = (body: BodyInit, type: string) =>
    routes.traces.POST(
      new Request('http://localhost/v1/traces', { method: 'POST', headers: { 'content-type': type }, body }),
    );
  expect(
    (
      await post(
        Buffer.from(
          foreignProtobuf({
            'checkout-java': java1.filter((s) => s.kind === 4),
            'billing-java': java1.filter((s) => s.kind === 5),
          }),
        ),
        'application/x-protobuf',
      )
    ).status,
  ).toBe(200);
  expect(
    (
      await post(
        Buffer.from(foreignProtobuf({ checkout: [send1], billing: [process1] })),
        'application/x-protobuf',
      )
    ).status,
  ).toBe(200);
  expect(
    (await post(foreignJson({ billing: [goNats[0]!], notifier: [goNats[1]!] }), 'application/json')).status,
  ).toBe(200);
  expect(
    (
      await post(
        Buffer.from(
          foreignProtobuf({ 'payments-java': kafkaPoll.slice(0, 2), 'ledger-java': kafkaPoll.slice(2) }),
        ),
        'application/x-protobuf',
      )
    ).status,
  ).toBe(200);
  expect(
    (
      await post(
        Buffer.from(
          foreignProtobuf({
            'inventory-go': [goSarama[0]],
            'stock-go': [goSarama[1]],
            'orders-go': [goPubsub[0]],
            'tracker-go': [goPubsub[1]],
            'checkout-dotnet': [dotnetServiceBus[0]],
            'fraud-dotnet': [dotnetServiceBus[1]],
            'orders-masstransit': [dotnetMassTransit[0]],
            'fulfil-masstransit': [dotnetMassTransit[1]],
          }),
        ),
        'application/x-protobuf',
      )
    ).status,
  ).toBe(200);
  expect(
    (
      await post(
        foreignJson({ 'web-django': [celery[0]!], 'worker-celery': celery.slice(1) }),
        'application/json',
      )
    ).status,
  ).toBe(200);
});

afterAll(async () => {
  await (await getStore()).close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function get<T>(
  route: { GET: (r: Request) => Promise<Response> },
  query: string,
  status = 200,
): Promise<T> {
  const response = await route.GET(new Request(`http://localhost/api/x?${query}`));
  expect(response.status).toBe(status);
  return (await response.json()) as T;
}

describe('spans from other SDKs', () => {
  it('puts Java agent 1.x/2.x, Celery and Go NATS on the flow graph', async () => {
    const graph = await get<FlowGraph>(routes.flows, 'from=1h');
    const edge = (id: string) => graph.edges.find((e) => e.id === id);
    expect(edge('service:checkout-java->destination:kafka:legacy-orders')).toMatchObject({ messages: 6 });
    // Parent-child traces: each delivery joins to its send through the parent (no links, no pathway header).
    expect(edge('destination:kafka:legacy-orders->service:billing-java#legacy-billing')).toMatchObject({
      messages: 6,
      latencySamples: 6,
    });
    expect(edge('destination:kafka:orders->service:billing#billing')?.p50Ms).toBeGreaterThan(38);
    expect(edge('destination:nats:payments->service:notifier')).toMatchObject({ messages: 1 });
    // Receive spans only: the batch is counted, the latency joins the poll to the first record's send.
    expect(edge('destination:kafka:ledger-events->service:ledger-java#ledger')).toMatchObject({
      messages: 2,
      latencySamples: 1,
      p50Ms: 50,
    });
    expect(edge('service:web-django->destination:celery:celery')).toMatchObject({ messages: 1 });
    expect(edge('destination:celery:celery->service:worker-celery')).toMatchObject({
      messages: 2,
      errors: 1,
    });
  });

  it('puts Go Sarama (otelsarama) on the flow graph: a child process span, no consumer group', async () => {
    const graph = await get<FlowGraph>(routes.flows, 'from=1h');
    const edges = graph.edges.filter((e) => e.id.includes('kafka:stock-events'));
    expect(edges.map((e) => [e.id, e.messages, e.latencySamples])).toEqual([
      ['destination:kafka:stock-events->service:stock-go', 1, 1],
      ['service:inventory-go->destination:kafka:stock-events', 1, 1],
    ]);
    expect(graph.consumerGroups.filter((g) => g.destination === 'stock-events')).toEqual([]);
  });

  it('puts Go Pub/Sub on the flow graph: the topic published to, the subscription consumed from', async () => {
    const graph = await get<FlowGraph>(routes.flows, 'from=1h');
    const edges = graph.edges.filter((e) => e.id.includes('gcp_pubsub'));
    // The subscribe span names the subscription, not the topic (pubsub/v2/trace.go), so the two are
    // separate destinations; the subscription is also the consumer's group.
    expect(edges.map((e) => [e.id, e.messages])).toEqual([
      ['destination:gcp_pubsub:shipments-tracker->service:tracker-go#shipments-tracker', 1],
      ['service:orders-go->destination:gcp_pubsub:shipments', 1],
    ]);
    expect(graph.consumerGroups.filter((g) => g.system === 'gcp_pubsub').map((g) => g.id)).toEqual([
      'group:gcp_pubsub:shipments-tracker:shipments-tracker',
    ]);
  });

  it('puts Azure Service Bus on the flow graph: topic, then subscription as consumer group', async () => {
    const graph = await get<FlowGraph>(routes.flows, 'from=1h');
    const edges = graph.edges.filter((e) => e.id.includes('servicebus'));
    expect(edges.map((e) => [e.id, e.messages])).toEqual([
      ['destination:servicebus:payments->service:fraud-dotnet#fraud-check', 1],
      ['service:checkout-dotnet->destination:servicebus:payments', 1],
    ]);
    expect(graph.consumerGroups.filter((g) => g.system === 'servicebus').map((g) => g.id)).toEqual([
      'group:servicebus:payments:fraud-check',
    ]);
  });

  it('puts MassTransit on the flow graph: the message-type exchange, the receive queue', async () => {
    const graph = await get<FlowGraph>(routes.flows, 'from=1h');
    const edges = graph.edges.filter((e) => e.id.includes('masstransit'));
    // MassTransit binds the `{namespace}:{type}` exchange to the queue's exchange, then the queue: the spans
    // alone do not say so (the receive names only the queue), so the two are separate destinations until
    // the broker's bindings (management API) draw the route.
    expect(edges.map((e) => [e.id, e.messages])).toEqual([
      ['destination:rabbitmq:order-submitted->service:fulfil-masstransit', 1],
      ['service:orders-masstransit->destination:rabbitmq:Acme.Contracts:OrderSubmitted', 1],
    ]);
  });

  it('derives a two-hop end-to-end pathway from a parent-child trace when no pathway data exists', async () => {
    const report = await get<LatencyReport>(routes.latency, 'from=1h');
    const twoHop = report.pathways.find((p) => p.route.length === 2);
    expect(twoHop).toMatchObject({
      route: [
        { service: 'checkout', system: 'kafka', destination: 'orders' },
        { service: 'billing', system: 'nats', destination: 'payments' },
      ],
      consumer: { service: 'notifier' },
      messages: 1,
      p50Ms: 65,
      source: 'spans',
    });
  });

  it('shows a Celery task’s retry in its journey, found by task id', async () => {
    const journey = await get<Journey>(routes.journeys, `messageId=${celeryTask}`);
    expect(journey.hops).toHaveLength(1);
    const [delivery] = journey.hops[0]!.deliveries;
    expect(delivery).toMatchObject({
      service: 'worker-celery',
      retries: 1,
      redelivered: true,
      outcome: 'processed',
    });
    expect(delivery!.attempts.map((a) => [a.status, a.deliveryAttempt, a.queueWaitMs])).toEqual([
      ['error', null, 25], // Celery omits celery.retries on the first run
      ['unset', 2, 1025],
    ]);
  });

  it('follows a multi-hop parent-child trace end to end by trace id', async () => {
    const journey = await get<Journey>(routes.journeys, `traceId=${twoHopTrace}`);
    expect(
      journey.hops.map((h) => [h.destination, h.send?.service, h.deliveries[0]?.service, h.causedBy]),
    ).toEqual([
      ['orders', 'checkout', 'billing', null],
      ['payments', 'billing', 'notifier', 0],
    ]);
    expect(journey.totalMs).toBe(70); // first send → end of billing's processing (it outlasts the NATS hop)
  });

  it('finds duplicates, out-of-order offsets and retries', async () => {
    const report = await get<AnomalyReport>(routes.anomalies, 'from=1h');
    expect(report.duplicates).toContainEqual(
      expect.objectContaining({ service: 'billing-java', message: '0@11', processed: 2 }),
    );
    expect(report.outOfOrder).toContainEqual(
      expect.objectContaining({ service: 'billing-java', scope: 'partition', key: '0', count: 1 }),
    );
    expect(report.retries).toContainEqual(
      expect.objectContaining({
        service: 'worker-celery',
        attempts: 2,
        messages: 1,
        retries: 1,
        failedAttempts: 1,
        redeliveries: 1,
      }),
    );
  });

  it('answers 404 with a hint for an unknown id', async () => {
    const body = await get<{ error: string }>(routes.journeys, `traceId=${'0'.repeat(32)}`, 404);
    expect(body.error).toMatch(/no messaging spans with trace id 0{32}.*sampled out/);
  });
});
