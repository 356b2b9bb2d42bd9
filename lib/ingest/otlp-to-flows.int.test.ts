import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { type Link, SpanKind } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowGraph } from '@/lib/analytics/flows';
import { type MessageHop, recordHop, recordSpans, toJson, toProtobuf } from '@/lib/testing/otlp-fixtures';

// Real DuckDB file in a fresh folder, real route handlers, real OTLP bytes
// from the OpenTelemetry SDK's serializers. No broker is needed here.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-ingest-'));
process.env.SIGNALBOX_DATA_DIR = dataDir;
process.env.SIGNALBOX_OTLP_MAX_BODY_BYTES = String(256 * 1024);

const traces = await import('@/app/v1/traces/route');
const flows = await import('@/app/api/flows/route');
const health = await import('@/app/api/health/route');
const { getStore } = await import('@/lib/runtime');

// Ten minutes ago: rollups have one-minute resolution, so windows below stay clear of these minutes.
const T0 = Date.now() - 600_000;

function hop(overrides: Partial<MessageHop>, i: number): MessageHop {
  return {
    system: 'kafka',
    destination: 'orders',
    producer: 'checkout',
    consumer: 'billing',
    consumerGroup: 'billing',
    sentAtMs: T0 + i * 100,
    deliveryMs: 10 + i, // 10..14 ms
    ...overrides,
  };
}

function post(body: BodyInit, contentType: string, encoding?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (encoding) headers['content-encoding'] = encoding;
  return traces.POST(new Request('http://localhost/v1/traces', { method: 'POST', headers, body }));
}

async function getFlows(query: string): Promise<FlowGraph> {
  const response = await flows.GET(new Request(`http://localhost/api/flows?${query}`));
  expect(response.status).toBe(200);
  return (await response.json()) as FlowGraph;
}

afterAll(async () => {
  await (await getStore()).close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('OTLP → DuckDB → /api/flows', () => {
  beforeAll(async () => {
    const kafkaHops = [0, 1, 2, 3, 4].map((i) => recordHop(hop({}, i)));
    const rabbitHops = [0, 1, 2].map((i) =>
      recordHop(
        hop(
          {
            system: 'rabbitmq',
            destination: 'payments',
            producer: 'billing',
            consumer: 'notifier',
            consumerGroup: undefined,
            failed: i === 2,
          },
          i,
        ),
      ),
    );
    // Producers over protobuf, consumers over gzip'd JSON: both encodings land in one store.
    const producerSpans = [...kafkaHops, ...rabbitHops].flatMap((h) => h.producer);
    const consumerSpans = [...kafkaHops, ...rabbitHops].flatMap((h) => h.consumer);
    const protobufResponse = await post(Buffer.from(toProtobuf(producerSpans)), 'application/x-protobuf');
    expect(protobufResponse.status).toBe(200);
    expect(protobufResponse.headers.get('content-type')).toBe('application/x-protobuf');
    const jsonResponse = await post(zlib.gzipSync(toJson(consumerSpans)), 'application/json', 'gzip');
    expect(jsonResponse.status).toBe(200);
    expect(await jsonResponse.json()).toEqual({});
  });

  it('returns both edges of each hop with exact counts', async () => {
    const graph = await getFlows('from=1h');
    const edge = (source: string, target: string) =>
      graph.edges.find((e) => e.source === source && e.target === target);

    expect(edge('service:checkout', 'destination:kafka:orders')).toMatchObject({
      messages: 5,
      errors: 0,
      latencyKind: 'publish',
    });
    expect(edge('destination:kafka:orders', 'service:billing')).toMatchObject({
      messages: 5,
      errors: 0,
      latencyKind: 'delivery',
      consumerGroup: 'billing',
    });
    // Sent at T0 + i*100 ms and processed 10..14 ms later: the median delivery is 12 ms
    // (within the rollup histogram's 4.4% relative error).
    const p50 = edge('destination:kafka:orders', 'service:billing')?.p50Ms ?? 0;
    expect(Math.abs(p50 / 12 - 1)).toBeLessThan(0.045);
    expect(edge('destination:kafka:orders', 'service:billing')?.sources).toEqual({
      messages: 'spans',
      errors: 'spans',
      latency: 'spans',
    });
    expect(edge('service:billing', 'destination:rabbitmq:payments')).toMatchObject({
      messages: 3,
      errors: 0,
    });
    expect(edge('destination:rabbitmq:payments', 'service:notifier')).toMatchObject({
      messages: 3,
      errors: 1,
    });
    expect(graph.nodes).toContainEqual({
      id: 'destination:kafka:orders',
      kind: 'destination',
      name: 'orders',
      label: 'orders',
      system: 'kafka',
      role: 'topic',
    });
    expect(graph.nodes).toContainEqual({
      id: 'service:checkout',
      kind: 'service',
      name: 'checkout',
      label: 'checkout',
      system: null,
      role: null,
    });
    // The default exchange: publish and delivery name the queue, one node, no route.
    expect(graph.nodes.find((n) => n.id === 'destination:rabbitmq:payments')?.role).toBe('queue');
    expect(graph.edges.map((e) => e.kind).sort()).toEqual(['deliver', 'deliver', 'publish', 'publish']);
  });

  it('honours the time range (ISO and relative)', async () => {
    expect(
      (
        await getFlows(
          `from=${new Date(T0 - 3_600_000).toISOString()}&to=${new Date(T0 - 120_000).toISOString()}`,
        )
      ).edges,
    ).toEqual([]);
    expect((await getFlows('from=5m')).edges).toEqual([]);
    const bad = await flows.GET(new Request('http://localhost/api/flows?from=soon'));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/from="soon"/);
  });

  it('answers health with the stored count', async () => {
    const response = await health.GET();
    expect(await response.json()).toMatchObject({
      status: 'ok',
      store: { engine: 'duckdb', messagingSpans: 16 },
    });
  });
});

describe('bad input is refused with a reason and the receiver keeps serving', () => {
  it.each([
    ['malformed JSON', () => post('{"resourceSpans": [', 'application/json'), 400, /not valid JSON/],
    [
      'malformed protobuf',
      () => post(Buffer.from([0x0a, 0xff, 0x01]), 'application/x-protobuf'),
      400,
      /protobuf/,
    ],
    ['an unsupported content type', () => post('hello', 'text/plain'), 415, /Content-Type "text\/plain"/],
    ['an unsupported encoding', () => post('{}', 'application/json', 'br'), 415, /Content-Encoding "br"/],
    ['broken gzip', () => post(Buffer.from('not gzip'), 'application/json', 'gzip'), 400, /gzip/],
    [
      'a body over the limit',
      () => post('x'.repeat(300 * 1024), 'application/json'),
      413,
      /SIGNALBOX_OTLP_MAX_BODY_BYTES/,
    ],
    [
      'a gzip bomb',
      () => post(zlib.gzipSync(Buffer.alloc(10 * 1024 * 1024)), 'application/json', 'gzip'),
      413,
      /decompressed body exceeds/,
    ],
  ])('%s', async (_name, send, status, message) => {
    const response = await send();
    expect(response.status).toBe(status);
    const body = response.headers.get('content-type')?.includes('json')
      ? ((await response.json()) as { message: string }).message
      : Buffer.from(await response.arrayBuffer()).toString('utf8');
    expect(body).toMatch(message);
  });

  it('stores nothing from a rejected request and still accepts a good one', async () => {
    const before = await (await getStore()).stats();
    const { producer } = recordHop(hop({ destination: 'after-errors' }, 0));
    expect((await post(Buffer.from(toProtobuf(producer)), 'application/x-protobuf')).status).toBe(200);
    const after = await (await getStore()).stats();
    expect(after.messagingSpans).toBe(before.messagingSpans + 1);
  });
});

/**
 * A consumer with plain Kafka client instrumentation: one CONSUMER `receive` span per poll, linked to
 * the sends of the records it returned and counting them in messaging.batch.message_count; no process
 * spans. Its edge comes from the receive spans alone.
 */
function recordPoll(sentAtMs: number, receivedAtMs: number, destination: string, batch: number) {
  let link: Link | undefined;
  const producer = recordSpans('checkout', (tracer) => {
    const span = tracer.startSpan(`send ${destination}`, {
      kind: SpanKind.PRODUCER,
      startTime: sentAtMs,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.destination.name': destination,
        'messaging.operation.type': 'send',
      },
    });
    link = { context: span.spanContext() };
    span.end(sentAtMs + 1);
  });
  const consumer = recordSpans('ledger', (tracer) => {
    tracer
      .startSpan(`poll ${destination}`, {
        kind: SpanKind.CONSUMER,
        startTime: receivedAtMs,
        links: [link!],
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': destination,
          'messaging.operation.type': 'receive',
          'messaging.operation.name': 'poll',
          'messaging.consumer.group.name': 'ledger',
          'messaging.batch.message_count': batch,
        },
      })
      .end(receivedAtMs + 4);
  });
  return { producer, consumer };
}

describe('consumers that only report receive spans', () => {
  const edgeFrom = (graph: FlowGraph, destination: string) =>
    graph.edges.find((e) => e.id === `destination:kafka:${destination}->service:ledger#ledger`);

  it('get a delivery edge counting the batch, with send → receive latency', async () => {
    const { producer, consumer } = recordPoll(T0 + 1000, T0 + 1037, 'ledger-orders', 3);
    expect((await post(Buffer.from(toProtobuf(producer)), 'application/x-protobuf')).status).toBe(200);
    expect((await post(toJson(consumer), 'application/json')).status).toBe(200);

    const edge = edgeFrom(await getFlows('from=1h'), 'ledger-orders');
    expect(edge).toMatchObject({
      latencyKind: 'delivery',
      deliveryEnd: 'receive',
      consumerGroup: 'ledger',
      messages: 3,
      errors: 0,
      latencySamples: 1,
      p50Ms: 37,
      sources: { messages: 'spans', errors: 'spans', latency: 'spans' },
    });
  });

  it('measure latency when the receive arrives before its send', async () => {
    const { producer, consumer } = recordPoll(T0 + 2000, T0 + 2052, 'ledger-refunds', 3);
    expect((await post(toJson(consumer), 'application/json')).status).toBe(200);
    const before = edgeFrom(await getFlows('from=1h'), 'ledger-refunds');
    expect(before).toMatchObject({ messages: 3, latencySamples: 0, p50Ms: null });
    const waiting = (await (await getStore()).stats()).pendingDeliveries;
    expect(waiting).toBeGreaterThan(0);

    expect((await post(Buffer.from(toProtobuf(producer)), 'application/x-protobuf')).status).toBe(200);
    expect(edgeFrom(await getFlows('from=1h'), 'ledger-refunds')).toMatchObject({
      messages: 3,
      latencySamples: 1,
      p50Ms: 52,
    });
    expect((await (await getStore()).stats()).pendingDeliveries).toBe(waiting - 1);
  });
});
