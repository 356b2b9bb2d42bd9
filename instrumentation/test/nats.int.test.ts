import { randomUUID } from 'node:crypto';
import { SpanKind, trace } from '@opentelemetry/api';
import { connect, headers, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerGate, BROKERS } from '../../lib/testing/brokers.js';
import { instrumentNatsConnection, processNatsMessage } from '../src/index.js';
import { pathwayHash } from '../src/pathway/hash.js';
import { setupMetrics } from './support/metrics.js';
import { sameSpan, setupTracing, waitFor } from './support/tracing.js';

const gate = await brokerGate('nats');

const VALID_TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const QUEUE_DELAY_MS = 200;

describe.skipIf(gate.skip)('NATS core through a real server', () => {
  const tracing = setupTracing();
  const metrics = setupMetrics();
  const base = { tracerProvider: tracing.provider, meterProvider: metrics.provider };
  // Subjects unique per run: other engineers' tests share the server.
  const root = `sbx.${randomUUID().replaceAll('-', '')}`;
  let raw: NatsConnection;
  let nc: NatsConnection;

  beforeAll(async () => {
    raw = await connect({ servers: `${BROKERS.nats.host}:${BROKERS.nats.port}` });
    nc = instrumentNatsConnection(raw, { ...base, headers, serviceName: 'nats-producer' });
  });

  afterAll(async () => {
    await raw?.close();
    await metrics.shutdown();
    await tracing.shutdown();
  });

  it('names callback process spans after a wildcard subscription and keeps the subject', async () => {
    const subject = `${root}.orders.eu`;
    const wildcard = `${root}.orders.*`;
    let traceIdInHandler: string | undefined;
    const got = new Promise<Msg>((resolve) => {
      nc.subscribe(wildcard, {
        queue: 'billing',
        callback: (_err, msg) => {
          traceIdInHandler = trace.getActiveSpan()?.spanContext().traceId;
          resolve(msg);
        },
      });
    });
    await raw.flush();
    nc.publish(subject, 'order-1');
    const msg = await got;
    expect(msg.headers?.get('traceparent')).toMatch(/^00-/);
    expect(msg.headers?.get('signalbox-pathway')).toMatch(/^1:/);

    const send = await waitFor(() => tracing.spans().find((s) => s.name === `send ${subject}`), 'send span');
    const processed = await waitFor(
      () => tracing.spans().find((s) => s.name === `process ${wildcard}`),
      'process span',
    );
    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(send.attributes).toMatchObject({
      'messaging.system': 'nats',
      'messaging.operation.type': 'send',
      'messaging.destination.name': subject,
    });
    expect(processed.kind).toBe(SpanKind.CONSUMER);
    expect(processed.attributes).toMatchObject({
      'messaging.system': 'nats',
      'messaging.operation.type': 'process',
      'messaging.destination.name': subject,
      'messaging.destination.template': wildcard,
      'messaging.consumer.group.name': 'billing',
    });
    expect(sameSpan(processed.links[0]?.context, send.spanContext())).toBe(true);
    expect(traceIdInHandler).toBe(processed.spanContext().traceId);

    // Metrics carry the template, never the tokenized subject.
    const consumed = await metrics.points('messaging.client.consumed.messages');
    expect(consumed.map((p) => p.attributes['messaging.destination.name'])).toContain(wildcard);
    expect(consumed.map((p) => p.attributes['messaging.destination.name'])).not.toContain(subject);
  });

  it('counts iterator deliveries and gives processNatsMessage a real process span', async () => {
    tracing.reset();
    const subject = `${root}.iter`;
    const sub = nc.subscribe(subject, { max: 1 });
    await raw.flush();
    nc.publish(subject, 'x');
    await new Promise((resolve) => setTimeout(resolve, QUEUE_DELAY_MS));
    let traceIdInHandler: string | undefined;
    let processed = 0;
    for await (const msg of sub) {
      await processNatsMessage(msg, async () => {
        traceIdInHandler = trace.getActiveSpan()?.spanContext().traceId;
        await new Promise((resolve) => setTimeout(resolve, 5));
        processed++;
      });
    }
    expect(processed).toBe(1);
    const span = tracing.spans().find((s) => s.name === `process ${subject}`);
    const send = tracing.spans().find((s) => s.name === `send ${subject}`);
    expect(span?.spanContext().traceId).toBe(traceIdInHandler);
    expect(sameSpan(span?.links[0]?.context, send?.spanContext())).toBe(true);

    const hash = pathwayHash('', 'nats-producer', 'nats', subject);
    const edge = (await metrics.points('signalbox.messaging.edge.latency')).find(
      (p) => p.attributes['signalbox.pathway.hash'] === hash,
    );
    expect(edge?.value).toBe(1);
    expect(edge?.histogram?.sum ?? 0).toBeGreaterThanOrEqual(QUEUE_DELAY_MS / 1000 - 0.01);
  });

  it('applies subjectTemplates on the producer side too', async () => {
    tracing.reset();
    const templated = instrumentNatsConnection(raw, {
      ...base,
      headers,
      subjectTemplates: [`${root}.user.*`],
    });
    templated.publish(`${root}.user.42`, 'x');
    const send = await waitFor(
      () => tracing.spans().find((s) => s.name === `send ${root}.user.*`),
      'send span',
    );
    expect(send.attributes['messaging.destination.name']).toBe(`${root}.user.42`);
    expect(send.attributes['messaging.destination.template']).toBe(`${root}.user.*`);
  });

  it('propagates through a copy of the caller headers, and never overwrites their traceparent', async () => {
    const plain = instrumentNatsConnection(raw, base); // no headers factory
    const subject = `${root}.copy`;
    const sub = raw.subscribe(subject, { max: 3 });
    await raw.flush();

    const own = headers();
    own.set('tenant', 'eu');
    plain.publish(subject, '1', { headers: own });
    expect(own.keys()).toEqual(['tenant']);

    const userSet = headers();
    userSet.set('Traceparent', VALID_TRACEPARENT);
    plain.publish(subject, '2', { headers: userSet });
    // Without headers and without a factory: spans only (a warning was logged).
    plain.publish(subject, '3');

    const received: Msg[] = [];
    for await (const msg of sub) received.push(msg);
    expect(received[0]?.headers?.get('tenant')).toBe('eu');
    expect(received[0]?.headers?.get('traceparent')).toMatch(/^00-/);
    expect(received[1]?.headers?.values('traceparent', 'insensitive')).toEqual([VALID_TRACEPARENT]);
    expect(received[2]?.headers).toBeUndefined();
  });

  it('emits spans without propagation when the server has no header support', async () => {
    tracing.reset();
    const info = raw.info as { headers?: boolean } | undefined;
    if (!info) throw new Error('no server info');
    const subject = `${root}.noheaders`;
    const sub = raw.subscribe(subject, { max: 1 });
    await raw.flush();
    // A pre-2.2 server announces headers: false; nats.js then refuses any headers.
    info.headers = false;
    try {
      nc.publish(subject, 'x');
    } finally {
      info.headers = true;
    }
    for await (const msg of sub) expect(msg.headers).toBeUndefined();
    expect(tracing.spans().find((s) => s.name === `send ${subject}`)).toBeDefined();
  });
});
