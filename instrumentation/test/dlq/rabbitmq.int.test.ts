import type { Channel, ChannelModel, ConfirmChannel, GetMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerGate } from '../../../lib/testing/brokers.js';
import { parseDeadLetter } from '../../src/dlq/parse.js';
import { deadLetterAmqp } from '../../src/brokers/rabbitmq/dead-letter.js';
import { amqpConnect, uniqueName } from '../support/brokers.js';
import { deadLetterTelemetry, PaymentDeclined, TRACEPARENT } from './telemetry-support.js';

const gate = await brokerGate('rabbitmq');

async function getOne(channel: Channel, queue: string): Promise<GetMessage> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const msg = await channel.get(queue);
    if (msg) return msg;
    if (Date.now() > deadline) throw new Error(`no message in ${queue}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(gate.skip)('dead letters on RabbitMQ (real broker)', () => {
  const telemetry = deadLetterTelemetry();
  let connection: ChannelModel;
  let channel: Channel;
  let confirm: ConfirmChannel;

  beforeAll(async () => {
    connection = await amqpConnect();
    channel = await connection.createChannel();
    confirm = await connection.createConfirmChannel();
  });

  afterAll(async () => {
    await connection?.close();
    await telemetry.shutdown();
  });

  /** A work queue whose dead letters RabbitMQ itself routes to `<queue>.dlx-target`. */
  async function brokerDeadLettering(queueArgs: Record<string, unknown> = {}) {
    const queue = uniqueName('dlq-work');
    const dlx = uniqueName('dlq-dlx');
    const target = `${queue}.dlx-target`;
    await channel.assertExchange(dlx, 'fanout', { autoDelete: true });
    await channel.assertQueue(target, { exclusive: true });
    await channel.bindQueue(target, dlx, '');
    await channel.assertQueue(queue, {
      exclusive: true,
      arguments: { 'x-dead-letter-exchange': dlx, ...queueArgs },
    });
    return { queue, target };
  }

  it('reads the x-death RabbitMQ writes when a consumer rejects a message', async () => {
    const { queue, target } = await brokerDeadLettering();
    const before = Math.floor(Date.now() / 1000) * 1000;
    channel.sendToQueue(queue, Buffer.from('{"amount":12}'), { headers: { traceparent: TRACEPARENT } });
    channel.nack(await getOne(channel, queue), false, false);
    const dead = await getOne(channel, target);
    channel.ack(dead);

    const failure = parseDeadLetter({
      system: 'rabbitmq',
      destination: target,
      headers: dead.properties.headers,
    });
    expect(failure).toMatchObject({
      dialect: 'rabbitmq',
      reason: 'rejected',
      source: { system: 'rabbitmq', destination: queue },
      attempts: 1,
      traceparent: TRACEPARENT,
    });
    // AMQP timestamps have whole seconds.
    expect(Date.parse(failure.lastFailedAt!)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(failure.lastFailedAt!)).toBeLessThanOrEqual(Date.now());
    expect(failure.details['rabbitmq.routing_keys']).toBe(queue);
  });

  it('reads an expiry dead-lettered by the broker as expired', async () => {
    const { queue, target } = await brokerDeadLettering({ 'x-message-ttl': 1 });
    channel.sendToQueue(queue, Buffer.from('late'));
    const dead = await getOne(channel, target);
    channel.ack(dead);
    const failure = parseDeadLetter({
      system: 'rabbitmq',
      destination: target,
      headers: dead.properties.headers,
    });
    expect(failure).toMatchObject({ reason: 'expired', source: { destination: queue }, attempts: 1 });
  });

  it('deadLetterAmqp copies to <queue>.dlq on a confirm channel and parses back to the same failure', async () => {
    const { queue, target } = await brokerDeadLettering();
    const dlq = `${target}.dlq`;
    await channel.assertQueue(dlq, { exclusive: true });
    // A message that RabbitMQ already dead-lettered once (it has x-death), now failing in our handler.
    channel.sendToQueue(queue, Buffer.from('{"amount":12}'), {
      headers: { traceparent: TRACEPARENT },
      messageId: 'pay-1',
      contentType: 'application/json',
      expiration: '60000',
    });
    channel.nack(await getOne(channel, queue), false, false);
    const failing = await getOne(channel, target);

    const result = await deadLetterAmqp(confirm, failing, {
      queue: target,
      error: new PaymentDeclined('card declined'),
      tracerProvider: telemetry.tracerProvider,
      meterProvider: telemetry.meterProvider,
    });
    channel.ack(failing); // only after the copy was confirmed
    expect(result).toMatchObject({ confirmed: true, deadLetterDestination: dlq });

    const copy = await getOne(channel, dlq);
    channel.ack(copy);
    expect(copy.content.toString()).toBe('{"amount":12}');
    expect(copy.properties).toMatchObject({
      messageId: 'pay-1',
      contentType: 'application/json',
      deliveryMode: 2,
    });
    // A per-message TTL would let the dead letter expire: it is not copied.
    expect(copy.properties.expiration).toBeUndefined();

    const failure = parseDeadLetter({
      system: 'rabbitmq',
      destination: dlq,
      headers: copy.properties.headers,
    });
    expect(failure).toMatchObject({
      dialect: 'signalbox',
      dialects: ['signalbox', 'rabbitmq'],
      reason: 'error',
      errorType: 'PaymentDeclined',
      errorMessage: 'card declined',
      source: { system: 'rabbitmq', destination: target, messageId: 'pay-1' },
      attempts: 1,
      traceparent: TRACEPARENT,
    });
    expect(failure.details['signalbox.dlq_id']).toBe(result.id);
    // The earlier x-death history travels with the copy.
    expect(failure.details['rabbitmq.first_death_queue']).toBe(queue);
    expect(await telemetry.deadLetterCounts()).toEqual([
      {
        value: 1,
        attributes: {
          'messaging.system': 'rabbitmq',
          'messaging.destination.name': target,
          'error.type': 'PaymentDeclined',
        },
      },
    ]);
  });

  it('rejects, and counts nothing, when the dead-letter queue does not exist', async () => {
    const queue = uniqueName('dlq-nowhere');
    await channel.assertQueue(queue, { exclusive: true });
    channel.sendToQueue(queue, Buffer.from('x'));
    const failing = await getOne(channel, queue);
    const countsBefore = await telemetry.deadLetterCounts();
    await expect(
      deadLetterAmqp(confirm, failing, {
        queue,
        error: new Error('boom'),
        tracerProvider: telemetry.tracerProvider,
        meterProvider: telemetry.meterProvider,
      }),
    ).rejects.toThrow(/could not route the dead letter/);
    channel.nack(failing, false, true); // the caller keeps the original
    expect(await telemetry.deadLetterCounts()).toEqual(countsBefore);
    const span = telemetry.spans().find((s) => s.name === `dead_letter ${queue}`);
    expect(span?.status.code).toBe(2); // ERROR
  });

  it('on a plain channel hands the copy to amqplib and says it is unconfirmed', async () => {
    const queue = uniqueName('dlq-plain');
    await channel.assertQueue(queue, { exclusive: true });
    await channel.assertQueue(`${queue}.dlq`, { exclusive: true });
    channel.sendToQueue(queue, Buffer.from('x'));
    const failing = await getOne(channel, queue);
    const result = await deadLetterAmqp(channel, failing, { queue, error: new Error('boom') });
    expect(result.confirmed).toBe(false);
    channel.ack(failing);
    const copy = await getOne(channel, `${queue}.dlq`);
    channel.ack(copy);
    expect(
      parseDeadLetter({ system: 'rabbitmq', destination: `${queue}.dlq`, headers: copy.properties.headers })
        .source.destination,
    ).toBe(queue);
  });
});
