import http from 'node:http';
import type { AddressInfo } from 'node:net';
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RabbitMqDlqAdapter } from '@/lib/brokers/rabbitmq/dlq';
import type { DlqService } from '@/lib/dlq/service';
import { openDlqService } from '@/lib/dlq/testing/dlq-service';
import { RABBIT_URL, rabbitSettings, tempDuckDb, unique, waitFor } from '@/lib/dlq/testing/support';
import { SerialConnection } from '@/lib/store/serial-connection';
import { brokerGate } from '@/lib/testing/brokers';
import { AlertStore } from './alert-store';
import { AlertEvaluator } from './evaluator';
import { alertRule } from './rule';

// A dlq-depth rule on a real RabbitMQ: a consumer rejects payments, RabbitMQ dead-letters them, the
// DLQ service finds the DLQ and its depth as the DLQ page does, and the rule fires to a Slack-style
// receiver; purging the DLQ resolves it.
const gate = await brokerGate('rabbitmq');

describe.skipIf(gate.skip)('a dead-letter rule on real RabbitMQ dead-lettering', () => {
  const work = unique('payments');
  const dlq = `${work}.dlq`;
  let connection: ChannelModel;
  let channel: Channel;
  let db: Awaited<ReturnType<typeof tempDuckDb>>;
  let service: DlqService;
  const posts: { text: string }[] = [];
  const receiver = http.createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      posts.push(JSON.parse(text) as { text: string });
      res.writeHead(200).end('ok');
    });
  });

  /** A payment the consumer rejects for real: RabbitMQ moves it to the DLQ. */
  async function reject(n: number) {
    channel.sendToQueue(work, Buffer.from(JSON.stringify({ payment: n })));
    const msg = await waitFor(async () => (await channel.get(work)) || undefined, 'the payment');
    channel.nack(msg, false, false);
  }

  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    connection = await amqp.connect(RABBIT_URL);
    channel = await connection.createChannel();
    await channel.assertQueue(dlq, { durable: false });
    await channel.assertQueue(work, {
      durable: false,
      arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': dlq },
    });
    ({ service, db } = await openDlqService([new RabbitMqDlqAdapter(rabbitSettings([work]))]));
  });

  afterAll(async () => {
    for (const q of [work, dlq]) await channel?.deleteQueue(q).catch(() => undefined);
    await connection?.close();
    await service?.close();
    db?.close();
    receiver.close();
  });

  it('fires when payments are dead-lettered, and resolves when the DLQ is emptied', async () => {
    let now = 5_000_000;
    const store = await AlertStore.create(new SerialConnection(await db.connect()));
    const evaluator = new AlertEvaluator({
      rules: [
        alertRule({
          id: 'payments-dlq',
          name: 'Payments are being dead-lettered',
          kind: 'dlq-depth',
          scope: { system: 'rabbitmq', destination: `${work}*`, group: null },
          threshold: 2,
          forSeconds: 0,
          resolveAfterSeconds: 10,
          severity: 'warning',
          labels: {},
        }),
      ],
      store,
      channels: [
        { name: 'slack', url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/slack` },
      ],
      inputs: async () => ({ lag: null, dlq: (await service.queues()).queues, telemetry: null }),
      publicUrl: null,
      intervalMs: 15_000,
      now: () => now,
      schedule: false,
    });
    const depth = () => waitFor(async () => (await channel.checkQueue(dlq)).messageCount, 'the DLQ depth');

    await reject(1);
    await reject(2);
    await waitFor(async () => ((await depth()) === 2 ? true : undefined), 'two dead letters');
    await evaluator.evaluateNow();
    expect(posts).toEqual([]); // 2 is not above 2
    await reject(3);
    await waitFor(async () => ((await depth()) === 3 ? true : undefined), 'three dead letters');
    now += 15_000;
    await evaluator.evaluateNow();
    expect(posts.map((p) => p.text)).toEqual([
      `*FIRING* [warning] Payments are being dead-lettered: rabbitmq:${dlq} is 3 messages ` +
        `(dead-letter queue holds more than 2 messages). (/dlq?queue=${encodeURIComponent(`rabbitmq:${dlq}`)})`,
    ]);

    await channel.purgeQueue(dlq);
    now += 15_000;
    await evaluator.evaluateNow();
    now += 15_000;
    await evaluator.evaluateNow();
    expect(posts.map((p) => p.text.split(' ')[0])).toEqual(['*FIRING*', '*RESOLVED*']);
    await evaluator.stop();
  });
});
