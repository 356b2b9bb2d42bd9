import { SpanKind } from '@opentelemetry/api';
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerGate } from '../../lib/testing/brokers.js';
import { instrumentAmqpChannel, processAmqpMessage } from '../src/index.js';
import { amqpConnect, uniqueName } from './support/brokers.js';
import { setupMetrics } from './support/metrics.js';
import { sameSpan, setupTracing, waitFor } from './support/tracing.js';

const gate = await brokerGate('rabbitmq');

describe.skipIf(gate.skip)('amqplib get, settle and redelivery through a real broker', () => {
  const tracing = setupTracing();
  const metrics = setupMetrics();
  const options = { tracerProvider: tracing.provider, meterProvider: metrics.provider };
  const queue = uniqueName('settle-queue');
  let connection: ChannelModel;
  let channel: Channel;

  beforeAll(async () => {
    connection = await amqpConnect();
    channel = instrumentAmqpChannel(await connection.createChannel(), options);
    await channel.assertQueue(queue, { durable: false });
  });

  afterAll(async () => {
    await channel?.deleteQueue(queue).catch(() => {});
    await connection?.close();
    await metrics.shutdown();
    await tracing.shutdown();
  });

  it('counts a nack-requeued message as a redelivery and emits nack and ack settle spans', async () => {
    const deliveries: ConsumeMessage[] = [];
    let done!: () => void;
    const acked = new Promise<void>((resolve) => (done = resolve));
    const { consumerTag } = await channel.consume(queue, (msg) => {
      if (!msg) return;
      deliveries.push(msg);
      if (!msg.fields.redelivered) channel.nack(msg, false, true);
      else {
        channel.ack(msg);
        done();
      }
    });
    channel.sendToQueue(queue, Buffer.from('retry me'));
    await acked;
    await channel.cancel(consumerTag);

    expect(deliveries.map((d) => d.fields.redelivered)).toEqual([false, true]);
    const redeliveries = await metrics.points('signalbox.messaging.redeliveries');
    expect(redeliveries).toEqual([
      { value: 1, attributes: { 'messaging.system': 'rabbitmq', 'messaging.destination.name': queue } },
    ]);
    const consumed = await metrics.points('messaging.client.consumed.messages');
    expect(consumed.reduce((n, p) => n + p.value, 0)).toBe(2);

    const send = tracing.spans().find((s) => s.name === `send ${queue}`);
    const nack = tracing.spans().find((s) => s.name === `nack ${queue}`);
    const ack = await waitFor(() => tracing.spans().find((s) => s.name === `ack ${queue}`), 'ack span');
    const processes = tracing.spans().filter((s) => s.name === `process ${queue}`);
    expect(processes).toHaveLength(2);
    for (const settle of [nack, ack]) {
      expect(settle?.kind).toBe(SpanKind.CLIENT);
      expect(settle?.attributes['messaging.operation.type']).toBe('settle');
      // Settle spans link to the message's creation context.
      expect(sameSpan(settle?.links[0]?.context, send?.spanContext())).toBe(true);
    }
    expect(sameSpan(nack?.parentSpanContext, processes[0]?.spanContext())).toBe(true);
    expect(sameSpan(ack.parentSpanContext, processes[1]?.spanContext())).toBe(true);
  });

  it('get emits a CLIENT receive span; processAmqpMessage gives the fetched message a process span', async () => {
    tracing.reset();
    channel.sendToQueue(queue, Buffer.from('pull me'), { messageId: 'm-7' });
    let msg: Awaited<ReturnType<Channel['get']>> = false;
    for (let i = 0; i < 50 && !msg; i++) {
      msg = await channel.get(queue);
      if (!msg) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if (!msg) throw new Error('message never arrived');
    const fetched = msg;
    const result = processAmqpMessage(fetched, () => {
      channel.ack(fetched);
      return 'handled';
    });
    expect(result).toBe('handled');

    const send = tracing.spans().find((s) => s.name === `send ${queue}`);
    const receives = tracing.spans().filter((s) => s.name === `receive ${queue}`);
    const received = receives.find((s) => s.links.length === 1);
    const processed = tracing.spans().find((s) => s.name === `process ${queue}`);
    expect(received?.kind).toBe(SpanKind.CLIENT);
    expect(sameSpan(received?.links[0]?.context, send?.spanContext())).toBe(true);
    expect(processed?.kind).toBe(SpanKind.CONSUMER);
    expect(processed?.attributes['messaging.message.id']).toBe('m-7');
    expect(sameSpan(processed?.links[0]?.context, send?.spanContext())).toBe(true);
    const ack = tracing.spans().find((s) => s.name === `ack ${queue}`);
    expect(sameSpan(ack?.parentSpanContext, processed?.spanContext())).toBe(true);
  });
});
