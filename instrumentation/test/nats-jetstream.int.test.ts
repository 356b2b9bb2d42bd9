import { randomUUID } from 'node:crypto';
import { SpanKind, trace } from '@opentelemetry/api';
import {
  AckPolicy,
  jetstream,
  jetstreamManager,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerGate, BROKERS } from '../../lib/testing/brokers.js';
import { instrumentJetStream, processNatsMessage } from '../src/index.js';
import { pathwayHash } from '../src/pathway/hash.js';
import { setupMetrics } from './support/metrics.js';
import { sameSpan, setupTracing, waitFor } from './support/tracing.js';

const gate = await brokerGate('nats');

const QUEUE_DELAY_MS = 300;

describe.skipIf(gate.skip)('NATS JetStream through a real server', () => {
  const tracing = setupTracing();
  const metrics = setupMetrics();
  const id = randomUUID().replaceAll('-', '');
  const stream = `SBX_${id}`;
  const subject = `sbxjs.${id}.orders`;
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    nc = await connect({ servers: `${BROKERS.nats.host}:${BROKERS.nats.port}` });
    jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: stream, subjects: [`sbxjs.${id}.>`] });
  });

  afterAll(async () => {
    await jsm?.streams.delete(stream).catch(() => {});
    await nc?.close();
    await metrics.shutdown();
    await tracing.shutdown();
  });

  const js = () =>
    instrumentJetStream(jetstream(nc), {
      tracerProvider: tracing.provider,
      meterProvider: metrics.provider,
      headers,
      serviceName: 'js-producer',
    });

  it('traces publish → next → process → ack, and counts a nak as a redelivery', async () => {
    await jsm.consumers.add(stream, {
      durable_name: 'billing',
      ack_policy: AckPolicy.Explicit,
      filter_subject: subject,
    });
    const client = js();
    const ack = await client.publish(subject, 'order-1', { msgID: `order-1-${id}` });
    expect(ack.stream).toBe(stream);
    await new Promise((resolve) => setTimeout(resolve, QUEUE_DELAY_MS));

    const consumer = await client.consumers.get(stream, 'billing');
    const first = await consumer.next({ expires: 5000 });
    if (!first) throw new Error('no message');
    first.nak();
    const second = await consumer.next({ expires: 5000 });
    if (!second) throw new Error('no redelivery');
    expect(second.info.deliveryCount).toBe(2);
    let traceIdInHandler: string | undefined;
    await processNatsMessage(second, async () => {
      traceIdInHandler = trace.getActiveSpan()?.spanContext().traceId;
      await second.ackAck();
    });

    const send = tracing.spans().find((s) => s.name === `send ${subject}`);
    const receives = tracing.spans().filter((s) => s.name === `receive ${subject}`);
    const processed = tracing.spans().find((s) => s.name === `process ${subject}`);
    const nak = tracing.spans().find((s) => s.name === `nak ${subject}`);
    const acked = tracing.spans().find((s) => s.name === `ack ${subject}`);
    if (!send || !processed || !nak || !acked) throw new Error('missing spans');

    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(send.attributes).toMatchObject({
      'messaging.system': 'nats',
      'messaging.destination.name': subject,
      'messaging.message.id': `order-1-${id}`,
    });
    expect(receives).toHaveLength(2);
    for (const receive of receives) {
      expect(receive.kind).toBe(SpanKind.CLIENT);
      expect(receive.attributes).toMatchObject({
        'messaging.operation.type': 'receive',
        'messaging.consumer.group.name': 'billing',
        'messaging.destination.subscription.name': 'billing',
        'messaging.nats.stream.name': stream,
      });
      expect(sameSpan(receive.links[0]?.context, send.spanContext())).toBe(true);
    }
    expect(processed.attributes).toMatchObject({
      'messaging.operation.type': 'process',
      'messaging.consumer.group.name': 'billing',
      'messaging.message.id': `order-1-${id}`,
      // Where the message was consumed from: the stream (also on metrics) and the consumer.
      'messaging.nats.stream.name': stream,
      'messaging.destination.subscription.name': 'billing',
    });
    // The publisher only knows the subject.
    expect(send.attributes['messaging.nats.stream.name']).toBeUndefined();
    expect(sameSpan(processed.links[0]?.context, send.spanContext())).toBe(true);
    expect(traceIdInHandler).toBe(processed.spanContext().traceId);
    for (const settle of [nak, acked]) {
      expect(settle.kind).toBe(SpanKind.CLIENT);
      expect(settle.attributes['messaging.operation.type']).toBe('settle');
      expect(sameSpan(settle.links[0]?.context, send.spanContext())).toBe(true);
    }
    expect(acked.parentSpanContext?.spanId).toBe(processed.spanContext().spanId);

    const redeliveries = await metrics.points('signalbox.messaging.redeliveries');
    const redelivered = redeliveries.find((p) => p.attributes['messaging.destination.name'] === subject);
    expect(redelivered?.value).toBe(1);
    expect(redelivered?.attributes['messaging.nats.stream.name']).toBe(stream);
    const consumed = (await metrics.points('messaging.client.consumed.messages')).filter(
      (p) => p.attributes['messaging.destination.name'] === subject,
    );
    expect(consumed.length).toBeGreaterThan(0);
    for (const point of consumed) expect(point.attributes['messaging.nats.stream.name']).toBe(stream);
    const hash = pathwayHash('', 'js-producer', 'nats', subject);
    const edge = (await metrics.points('signalbox.messaging.edge.latency')).find(
      (p) => p.attributes['signalbox.pathway.hash'] === hash,
    );
    expect(edge?.value).toBe(2);
    expect(edge?.histogram?.min ?? 0).toBeGreaterThanOrEqual(QUEUE_DELAY_MS / 1000 - 0.01);
  });

  it('wraps consume callbacks in process spans and fetch iterators for processNatsMessage', async () => {
    tracing.reset();
    const other = `sbxjs.${id}.payments`;
    await jsm.consumers.add(stream, {
      durable_name: 'payments',
      ack_policy: AckPolicy.Explicit,
      filter_subject: other,
    });
    const client = js();
    await client.publish(other, 'p-1');
    await client.publish(other, 'p-2');
    const consumer = await client.consumers.get(stream, 'payments');

    const fetched = await consumer.fetch({ max_messages: 1, expires: 5000 });
    for await (const msg of fetched) {
      processNatsMessage(msg, () => msg.ack());
    }
    const seen: string[] = [];
    const done = new Promise<void>((resolve) => {
      void consumer.consume({
        callback: (msg: JsMsg) => {
          seen.push(trace.getActiveSpan()?.spanContext().traceId ?? '');
          msg.ack();
          resolve();
        },
      });
    });
    await done;

    const processed = await waitFor(() => {
      const spans = tracing.spans().filter((s) => s.name === `process ${other}`);
      return spans.length === 2 ? spans : undefined;
    }, 'two process spans');
    const sends = tracing.spans().filter((s) => s.name === `send ${other}`);
    for (const span of processed) {
      expect(sends.some((send) => sameSpan(span.links[0]?.context, send.spanContext()))).toBe(true);
    }
    expect(processed.map((s) => s.spanContext().traceId)).toContain(seen[0]);
    const acks = tracing.spans().filter((s) => s.name === `ack ${other}`);
    expect(acks).toHaveLength(2);
  });
});
