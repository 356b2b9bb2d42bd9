import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { beginProcess, beginReceive, processMessage } from '../src/messaging/consume.js';
import { beginSend } from '../src/messaging/produce.js';
import { resolveRuntime, type MessagingRuntime } from '../src/messaging/runtime.js';
import { recordSettle } from '../src/messaging/settle.js';
import { parseStabilityOptIn } from '../src/messaging/stability.js';
import { pathwayHash } from '../src/pathway/hash.js';
import { parsePathway, PATHWAY_HEADER } from '../src/pathway/header.js';
import { kafkaHeadersCarrier } from '../src/brokers/kafka/headers.js';
import { setupMetrics } from './support/metrics.js';
import { sameSpan, setupTracing } from './support/tracing.js';

const tracing = setupTracing();
let metrics = setupMetrics();
afterAll(async () => {
  await metrics.shutdown();
  await tracing.shutdown();
});
beforeEach(() => {
  tracing.reset();
  metrics = setupMetrics();
});

let clock = 1_800_000_000_000;
function runtime(overrides: Partial<MessagingRuntime> = {}): MessagingRuntime {
  const base = resolveRuntime({
    tracerProvider: tracing.provider,
    meterProvider: metrics.provider,
    serviceName: 'checkout',
  });
  return Object.assign(Object.create(base) as MessagingRuntime, { now: () => clock }, overrides);
}
const orders = { system: 'kafka', destination: 'orders' };

describe('beginSend', () => {
  it('writes traceparent and a version-1 pathway header, and counts the message once sent', async () => {
    const headers: Record<string, string> = {};
    const rt = runtime();
    await beginSend(rt, orders, [kafkaHeadersCarrier(headers)]).run(() => Promise.resolve());

    const [send] = tracing.spans();
    expect(send?.kind).toBe(SpanKind.PRODUCER);
    expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const pathway = parsePathway(headers[PATHWAY_HEADER], clock);
    expect(pathway).toEqual({
      hash: pathwayHash('', 'checkout', 'kafka', 'orders'),
      originMs: clock,
      sendMs: clock,
      hops: 1,
    });
    expect(send?.attributes['signalbox.pathway.hash']).toBe(pathway?.hash);

    const sent = await metrics.points('messaging.client.sent.messages');
    expect(sent).toEqual([
      {
        value: 1,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.name': 'send',
          'messaging.operation.type': 'send',
          'messaging.destination.name': 'orders',
        },
      },
    ]);
    expect(await metrics.points('signalbox.messaging.pathway.sent')).toEqual([
      {
        value: 1,
        attributes: {
          'signalbox.pathway.hash': pathway?.hash,
          'signalbox.pathway.parent_hash': '',
          'messaging.system': 'kafka',
          'messaging.destination.name': 'orders',
        },
      },
    ]);
    const duration = await metrics.metric('messaging.client.operation.duration');
    expect(duration?.descriptor.unit).toBe('s');
    expect(
      (await metrics.points('messaging.client.operation.duration'))[0]?.histogram?.buckets.boundaries,
    ).toEqual([0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]);
  });

  it('on failure: error.type on the metrics, and no pathway.sent (nothing was sent)', async () => {
    class BrokerDown extends Error {}
    const operation = beginSend(runtime(), orders, [kafkaHeadersCarrier({})]);
    await expect(operation.run(() => Promise.reject(new BrokerDown('x')))).rejects.toBeInstanceOf(BrokerDown);
    expect(tracing.spans()[0]?.status.code).toBe(SpanStatusCode.ERROR);
    const [sent] = await metrics.points('messaging.client.sent.messages');
    expect(sent?.attributes['error.type']).toBe('BrokerDown');
    expect(await metrics.points('signalbox.messaging.pathway.sent')).toEqual([]);
  });

  it('ends once even when run, end and fail all fire', () => {
    const operation = beginSend(runtime(), orders, [kafkaHeadersCarrier({})]);
    operation.run(() => 1);
    operation.end();
    operation.fail(new Error('late'));
    expect(tracing.spans()).toHaveLength(1);
    expect(tracing.spans()[0]?.status.code).toBe(SpanStatusCode.UNSET);
  });
});

describe('beginProcess', () => {
  it('records edge and pathway latency, consumed count and redeliveries, and continues the pathway', async () => {
    const rt = runtime();
    const headers: Record<string, string> = {};
    clock = 1_800_000_000_000;
    beginSend(rt, orders, [kafkaHeadersCarrier(headers)]).end();
    const originHash = parsePathway(headers[PATHWAY_HEADER], clock)?.hash;

    clock += 250; // the message waited 250 ms
    const info = { ...orders, consumerGroup: 'billing' };
    const forwarded: Record<string, string> = {};
    const process = beginProcess(rt, info, kafkaHeadersCarrier(headers), { redelivered: true });
    process.run(() => {
      clock += 100;
      beginSend(rt, { system: 'rabbitmq', destination: 'payments' }, [kafkaHeadersCarrier(forwarded)]).end();
    });

    const edge = await metrics.points('signalbox.messaging.edge.latency');
    expect(edge).toHaveLength(1);
    expect(edge[0]?.attributes).toEqual({
      'messaging.system': 'kafka',
      'messaging.destination.name': 'orders',
      'messaging.consumer.group.name': 'billing',
      'signalbox.pathway.hash': originHash,
    });
    expect(edge[0]?.histogram?.sum).toBeCloseTo(0.25, 6);
    const [pathwayLatency] = await metrics.points('signalbox.messaging.pathway.latency');
    expect(pathwayLatency?.attributes['signalbox.pathway.hops']).toBe(1);
    expect(pathwayLatency?.histogram?.sum).toBeCloseTo(0.25, 6);
    expect((await metrics.points('signalbox.messaging.redeliveries'))[0]?.value).toBe(1);
    const [consumed] = await metrics.points('messaging.client.consumed.messages');
    expect(consumed?.attributes).toMatchObject({
      'messaging.operation.name': 'process',
      'messaging.consumer.group.name': 'billing',
    });
    expect((await metrics.points('messaging.process.duration'))[0]?.value).toBe(1);

    // The send inside the handler continues the consumed pathway.
    const next = parsePathway(forwarded[PATHWAY_HEADER], clock);
    expect(next).toEqual({
      hash: pathwayHash(originHash ?? '', 'checkout', 'rabbitmq', 'payments'),
      originMs: 1_800_000_000_000,
      sendMs: clock,
      hops: 2,
    });
    const processSpan = tracing.spans().find((s) => s.name === 'process orders');
    expect(processSpan?.attributes).toMatchObject({
      'signalbox.pathway.hash': originHash,
      'signalbox.pathway.hops': 1,
      'signalbox.pathway.origin_ms': 1_800_000_000_000,
    });
  });

  it('records a negative latency (sender clock ahead) as 0 rather than dropping it', async () => {
    const headers = { [PATHWAY_HEADER]: `1:0123456789abcdef:${clock + 5000}:${clock + 5000}:1` };
    beginProcess(runtime(), orders, kafkaHeadersCarrier(headers)).end();
    const [edge] = await metrics.points('signalbox.messaging.edge.latency');
    expect(edge?.value).toBe(1);
    expect(edge?.histogram?.sum).toBe(0);
  });
});

describe('beginReceive + processMessage', () => {
  it('links the CLIENT receive span to each message and counts each delivery once', async () => {
    const rt = runtime();
    const a: Record<string, string> = {};
    const b: Record<string, string> = {};
    beginSend(rt, orders, [kafkaHeadersCarrier(a), kafkaHeadersCarrier(b)]).end();
    tracing.reset();

    const receive = beginReceive(rt, orders);
    const deliveries = receive.received([kafkaHeadersCarrier(a), kafkaHeadersCarrier(b)]);
    receive.end();
    for (const [i, headers] of [a, b].entries()) {
      processMessage(rt, orders, kafkaHeadersCarrier(headers), () => 'done', { delivery: deliveries[i]! });
    }

    const received = tracing.spans().find((s) => s.name === 'receive orders');
    expect(received?.kind).toBe(SpanKind.CLIENT);
    expect(received?.attributes['messaging.batch.message_count']).toBe(2);
    expect(received?.links).toHaveLength(2);
    expect(received?.links[0]?.attributes?.['signalbox.pathway.hops']).toBe(1);
    const processes = tracing.spans().filter((s) => s.name === 'process orders');
    expect(processes).toHaveLength(2);
    const consumed = await metrics.points('messaging.client.consumed.messages');
    expect(consumed.reduce((n, p) => n + p.value, 0)).toBe(2);
    expect(consumed[0]?.attributes['messaging.operation.type']).toBe('receive');
  });
});

describe('recordSettle', () => {
  it('is a CLIENT span named after the settlement, linked to the creation context', async () => {
    const creation = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
    };
    const parent = tracing.tracer.startSpan('handler');
    context.with(trace.setSpan(context.active(), parent), () =>
      recordSettle(runtime(), { system: 'rabbitmq', destination: 'payments' }, 'ack', creation).run(() => {}),
    );
    parent.end();
    const ack = tracing.spans().find((s) => s.name === 'ack payments');
    expect(ack?.kind).toBe(SpanKind.CLIENT);
    expect(ack?.attributes).toMatchObject({
      'messaging.operation.type': 'settle',
      'messaging.operation.name': 'ack',
    });
    expect(sameSpan(ack?.parentSpanContext, parent.spanContext())).toBe(true);
    expect(ack?.links.map((l) => l.context.spanId)).toEqual(['b7ad6b7169203331']);
    const [duration] = await metrics.points('messaging.client.operation.duration');
    expect(duration?.attributes['messaging.operation.name']).toBe('ack');
  });
});

describe('OTEL_SEMCONV_STABILITY_OPT_IN', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['messaging', false],
    ['http, messaging/dup', true],
    ['MESSAGING/DUP', true],
    ['messaging,messaging/dup', true],
  ])('%j → dup %s', (value, dup) => {
    expect(parseStabilityOptIn(value).dup).toBe(dup);
  });

  it('messaging/dup adds the pre-1.26 attribute names next to the current ones', () => {
    const rt = runtime({ semconv: { dup: true } });
    beginSend(rt, orders, [kafkaHeadersCarrier({})]).end();
    beginProcess(rt, { ...orders, consumerGroup: 'billing' }, kafkaHeadersCarrier({})).end();
    const [send, processed] = tracing.spans();
    expect(send?.attributes).toMatchObject({
      'messaging.operation.type': 'send',
      'messaging.operation': 'publish',
      'messaging.destination': 'orders',
    });
    expect(processed?.attributes).toMatchObject({
      'messaging.operation': 'process',
      'messaging.kafka.consumer.group': 'billing',
      'messaging.consumer.group.name': 'billing',
    });
  });

  it('by default emits only the current names', () => {
    beginSend(runtime(), orders, [kafkaHeadersCarrier({})]).end();
    expect(tracing.spans()[0]?.attributes).not.toHaveProperty('messaging.operation');
  });
});
