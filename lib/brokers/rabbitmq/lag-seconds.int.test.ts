import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { instrumentAmqpChannel } from '@signalbox/instrumentation';
import amqp, { type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drive } from '@/lib/lag/testing/drive';
import { brokerGate } from '@/lib/testing/brokers';
import { RabbitMqLagAdapter } from './lag';

// Lag in seconds on RabbitMQ comes from the management API's head_message_timestamp:
// the AMQP `timestamp` property of the oldest ready message. Our instrumentation sets
// it when the publisher left it empty, so an instrumented publisher's backlog has an
// age; a plain publisher that sets no timestamp leaves it unknown, and the dashboard
// says so instead of guessing. Needs the management plugin (scripts/brokers/ensure-all.sh).
const gate = await brokerGate('rabbitmq');
const URL = 'amqp://guest:guest@127.0.0.1:5672';
const MANAGEMENT = 'http://guest:guest@127.0.0.1:15672';
const run = randomUUID().slice(0, 8);
const instrumented = `sbtest-lagsec-ours-${run}`;
const plain = `sbtest-lagsec-plain-${run}`;
const AGE_S = 3;

let connection: ChannelModel;
const adapters: RabbitMqLagAdapter[] = [];

/**
 * Polls until the management API's (periodic) statistics show the queue's backlog.
 * The ready count and the head timestamp come from separate statistics events, so a
 * reading can show the backlog before its head timestamp: wait for what the test needs.
 */
async function lagOf(
  queue: string,
  ready: (lag: { lagMessages: number; lagSeconds: number | null }) => boolean,
) {
  const adapter = new RabbitMqLagAdapter(
    { url: URL, managementUrl: MANAGEMENT, queues: [], tls: null },
    () => true,
  );
  adapters.push(adapter);
  const driven = drive(adapter, queue, queue);
  for (let attempt = 0; attempt < 40; attempt++) {
    const lag = await driven.step(0).catch(() => null);
    if (lag && ready(lag)) return lag;
    await sleep(500);
  }
  throw new Error(`no statistics for ${queue}`);
}

describe.skipIf(gate.skip)('RabbitMQ lag in seconds from the message timestamp', () => {
  beforeAll(async () => {
    connection = await amqp.connect(URL);
    const channel = await connection.createChannel();
    for (const queue of [instrumented, plain]) await channel.assertQueue(queue, { durable: false });
    const ours = instrumentAmqpChannel(await connection.createChannel(), {});
    for (let i = 0; i < 3; i++) {
      ours.sendToQueue(instrumented, Buffer.from(`m${i}`));
      channel.sendToQueue(plain, Buffer.from(`m${i}`));
    }
    // The backlog ages before it is measured.
    await sleep(AGE_S * 1000);
  });
  afterAll(async () => {
    await Promise.all(adapters.map((a) => a.close()));
    const channel = await connection.createChannel();
    for (const queue of [instrumented, plain]) await channel.deleteQueue(queue).catch(() => undefined);
    await connection.close();
  });

  it('gives an instrumented publisher’s backlog its age, from the timestamp the instrumentation set', async () => {
    const lag = await lagOf(instrumented, (l) => l.lagMessages === 3 && l.lagSeconds !== null);
    expect(lag).toMatchObject({ lagMessages: 3, lagSecondsSource: 'message-timestamp' });
    // Whole seconds on the wire: the age is at least the wait, less the second the timestamp rounds off.
    expect(lag.lagSeconds).toBeGreaterThanOrEqual(AGE_S - 1);
    expect(lag.lagSeconds).toBeLessThan(AGE_S + 30);
  });

  it('says the age is unknown for a plain publisher that sets no timestamp', async () => {
    // Runs after the instrumented queue's head timestamp has shown, so the statistics
    // that would carry this queue's head timestamp have been emitted too.
    const lag = await lagOf(plain, (l) => l.lagMessages === 3);
    expect(lag).toMatchObject({ lagMessages: 3, lagSeconds: null, lagSecondsSource: 'none' });
  });
});
