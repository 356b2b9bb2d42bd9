import { SpanKind, trace } from '@opentelemetry/api';
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerGate } from '../../lib/testing/brokers.js';
import { instrumentAmqpChannel } from '../src/index.js';
import { amqpConnect, hrTimeToMs, uniqueName } from './support/brokers.js';
import { sameSpan, setupTracing, waitFor } from './support/tracing.js';

const gate = await brokerGate('rabbitmq');

describe.skipIf(gate.skip)('RabbitMQ through a real broker', () => {
  const tracing = setupTracing();
  const queue = uniqueName('queue');
  let connection: ChannelModel;
  let channel: Channel;

  beforeAll(async () => {
    connection = await amqpConnect();
    channel = instrumentAmqpChannel(await connection.createChannel(), { tracerProvider: tracing.provider });
    await channel.assertQueue(queue, { durable: false, autoDelete: true });
  });

  afterAll(async () => {
    await channel?.deleteQueue(queue).catch(() => {});
    await connection?.close();
    await tracing.shutdown();
  });

  it('links process to send, both named after the queue, and ends process before a late ack', async () => {
    let ackedAtMs = 0;
    let processEndedBeforeAck = false;
    const acked = new Promise<string | undefined>((resolve) => {
      void channel.consume(queue, (msg: ConsumeMessage | null) => {
        if (!msg) return;
        const traceIdInHandler = trace.getActiveSpan()?.spanContext().traceId;
        // Ack well after the handler returned, as batching consumers do.
        setTimeout(() => {
          processEndedBeforeAck = tracing.spans().some((s) => s.name === `process ${queue}`);
          ackedAtMs = Date.now();
          channel.ack(msg);
          resolve(traceIdInHandler);
        }, 300);
      });
    });

    channel.sendToQueue(queue, Buffer.from('{"amount":12}'), {
      messageId: 'pay-1',
      correlationId: 'order-9',
    });
    const traceIdInHandler = await acked;

    const send = tracing.spans().find((s) => s.name === `send ${queue}`);
    const processed = await waitFor(
      () => tracing.spans().find((s) => s.name === `process ${queue}`),
      'process span',
    );
    if (!send) throw new Error('no send span');

    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(processed.kind).toBe(SpanKind.CONSUMER);
    // Same destination on both sides: the dashboard joins producer and consumer on it.
    expect(send.attributes['messaging.destination.name']).toBe(queue);
    expect(processed.attributes['messaging.destination.name']).toBe(queue);
    expect(send.attributes).toMatchObject({
      'messaging.system': 'rabbitmq',
      'messaging.operation.type': 'send',
      'messaging.rabbitmq.destination.routing_key': queue,
      'messaging.message.id': 'pay-1',
      'messaging.message.conversation_id': 'order-9',
    });
    expect(processed.attributes).toMatchObject({
      'messaging.system': 'rabbitmq',
      'messaging.operation.type': 'process',
      'messaging.rabbitmq.destination.routing_key': queue,
      'messaging.message.id': 'pay-1',
    });
    expect(typeof processed.attributes['messaging.rabbitmq.message.delivery_tag']).toBe('number');

    expect(processed.links).toHaveLength(1);
    expect(sameSpan(processed.links[0]?.context, send.spanContext())).toBe(true);
    expect(traceIdInHandler).toBe(processed.spanContext().traceId);

    // The span covers the handler, not the wait for the ack.
    expect(processEndedBeforeAck).toBe(true);
    expect(hrTimeToMs(processed.endTime)).toBeLessThan(ackedAtMs - 200);
  });
});
