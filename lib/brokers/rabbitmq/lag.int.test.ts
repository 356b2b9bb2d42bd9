import { randomUUID } from 'node:crypto';
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drive, throughOutage } from '@/lib/lag/testing/drive';
import { brokerGate } from '@/lib/testing/brokers';
import { TcpProxy } from '../testing/tcp-proxy';
import { RabbitMqLagAdapter } from './lag';

// Real RabbitMQ on 127.0.0.1:5672, configured without the management API (as a user may run it): the
// adapter checks the configured queues with a passive declare. Lag in seconds is not knowable that way
// (see lag.ts), so it is asserted to be reported as unknown, not guessed.
const gate = await brokerGate('rabbitmq');
const URL = 'amqp://guest:guest@127.0.0.1:5672';
const run = randomUUID().slice(0, 8);
const queue = `sbtest-lag-${run}`;
const missing = `sbtest-missing-${run}`;
let connection: ChannelModel;
let channel: Channel;
const adapters: RabbitMqLagAdapter[] = [];
const adapter = (url = URL, managementUrl: string | null = null) => {
  const a = new RabbitMqLagAdapter({ url, managementUrl, queues: [missing, queue], tls: null }, () => true);
  adapters.push(a);
  return a;
};

/** Takes and acknowledges `count` messages with basic.get (no consumer stays attached). */
async function take(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const message = await channel.get(queue);
    if (!message) throw new Error('queue empty');
    channel.ack(message);
  }
}

describe.skipIf(gate.skip)('RabbitMQ queue lag (passive declare)', () => {
  beforeAll(async () => {
    connection = await amqp.connect(URL);
    channel = await connection.createChannel();
    await channel.assertQueue(queue, { durable: false, autoDelete: false });
  });
  afterAll(async () => {
    await Promise.all(adapters.map((a) => a.close()));
    await channel.deleteQueue(queue).catch(() => undefined);
    await connection.close();
  });

  it('measures the ready backlog exactly, goes STOP, then STALL with a stuck consumer, then drains to OK', async () => {
    for (let i = 0; i < 30; i++) channel.sendToQueue(queue, Buffer.from(`m${i}`));
    await take(10);
    const driven = drive(adapter(), queue, queue);
    const first = await driven.step(0);
    expect(first).toMatchObject({
      system: 'rabbitmq',
      lagMessages: 20,
      consumers: 0,
      lagSeconds: null,
      lagSecondsSource: 'none',
      details: { ready: 20 },
    });
    // The queue that does not exist is skipped, not an error.
    expect(driven.poller.latest().groups.map((g) => g.group)).toEqual([queue]);
    expect(driven.poller.latest().brokers[0]).toMatchObject({
      reachable: true,
      address: 'amqp://127.0.0.1:5672',
    });

    await driven.step();
    expect((await driven.step()).status).toBe('STOP');

    // A consumer that takes one message and never acknowledges it: attached, but nothing moves.
    const stuck = await connection.createChannel();
    await stuck.prefetch(1);
    const { consumerTag } = await stuck.consume(queue, () => undefined);
    await driven.step();
    await driven.step();
    const stalled = await driven.step();
    expect(stalled).toMatchObject({ status: 'STALL', consumers: 1, lagMessages: 19 });
    await stuck.cancel(consumerTag);
    await stuck.close(); // its unacked message goes back to ready

    // Draining 2 per 10 s for a minute: over the 60 s trend window the ready count falls in a straight
    // line from 20 to 8, so the ETA is exactly 8 / 0.2 per s.
    for (let i = 0; i < 6; i++) {
      await take(2);
      await driven.step(10_000);
    }
    const draining = await driven.step(0);
    expect(draining).toMatchObject({
      lagMessages: 8,
      trend: { direction: 'shrinking', messagesPerSecond: -0.2 },
      etaSeconds: 40,
    });
    await take(8);
    expect(await driven.step()).toMatchObject({ lagMessages: 0, lagSeconds: 0, status: 'OK', etaSeconds: 0 });
  });

  it('reports the broker unreachable while it is down and recovers when it returns', async () => {
    const proxy = await new TcpProxy('127.0.0.1', 5672).open();
    await throughOutage(
      drive(adapter(`amqp://guest:guest@127.0.0.1:${proxy.port}`), queue, queue),
      proxy,
      (broker) => {
        expect(broker).toMatchObject({ reachable: false, address: `amqp://127.0.0.1:${proxy.port}` });
        // The poll in flight loses its channel; the next one cannot connect at all.
        expect(broker!.error).toMatch(/ECONNREFUSED|Channel ended|closed|socket/i);
        expect(broker!.error).not.toContain('guest');
      },
    );
  });

  it('says so when the management API it was pointed at does not answer', async () => {
    // The plugin is not enabled here; a management URL on a closed port is an unreachable broker.
    const closed = await new TcpProxy('127.0.0.1', 1).open();
    const port = closed.port;
    await closed.close();
    const driven = drive(adapter(URL, `http://guest:guest@127.0.0.1:${port}`), queue, queue);
    const snapshot = await driven.poller.pollNow();
    expect(snapshot.brokers[0]).toMatchObject({ reachable: false });
    expect(snapshot.brokers[0]!.error).toMatch(/ECONNREFUSED/);
  });
});
