import amqp, { type ChannelModel, type Channel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RabbitMqDlqAdapter } from '@/lib/brokers/rabbitmq/dlq';
import { BROKERS, brokerGate } from '@/lib/testing/brokers';
import { RABBIT_URL, unique } from './testing/support';

const gate = await brokerGate('rabbitmq', 'rabbitmq-management');
const MANAGEMENT_URL = `http://guest:guest@${BROKERS['rabbitmq-management'].host}:${BROKERS['rabbitmq-management'].port}`;

describe.skipIf(gate.skip)(
  'RabbitMQ DLQ discovery from dead-letter arguments (real broker, management API)',
  () => {
    // Names that do not look like DLQs: only the queue arguments can tell.
    const work = unique('work');
    const graveyard = unique('graveyard');
    const dlx = unique('failures');
    const jobs = unique('jobs');
    const parked = unique('parked');
    const deadNamed = `${unique('orders')}.dlq`;
    let connection: ChannelModel;
    let channel: Channel;

    beforeAll(async () => {
      connection = await amqp.connect(RABBIT_URL);
      channel = await connection.createChannel();
      await channel.assertExchange(dlx, 'direct', { durable: false, autoDelete: false });
      await channel.assertQueue(graveyard, { durable: false });
      await channel.bindQueue(graveyard, dlx, work);
      await channel.assertQueue(work, {
        durable: false,
        arguments: { 'x-dead-letter-exchange': dlx, 'x-dead-letter-routing-key': work },
      });
      // The default exchange: the dead-letter routing key names the queue.
      await channel.assertQueue(parked, { durable: false });
      await channel.assertQueue(jobs, {
        durable: false,
        arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': parked },
      });
      await channel.assertQueue(deadNamed, { durable: false });
      // A message that is rejected for real lands in the graveyard, so the count is the broker's.
      channel.sendToQueue(work, Buffer.from('{"id":1}'));
      const msg = await new Promise<amqp.GetMessage>((resolve, reject) => {
        const poll = async (tries: number): Promise<void> => {
          const got = await channel.get(work);
          if (got) return resolve(got);
          if (tries > 100) return reject(new Error('no message in work queue'));
          setTimeout(() => void poll(tries + 1), 20);
        };
        void poll(0);
      });
      channel.nack(msg, false, false);
    });

    afterAll(async () => {
      for (const q of [work, graveyard, jobs, parked, deadNamed])
        await channel?.deleteQueue(q).catch(() => undefined);
      await channel?.deleteExchange(dlx).catch(() => undefined);
      await connection?.close();
    });

    it('lists the queues dead letters are routed to, with the source, beside the ones found by name', async () => {
      const adapter = new RabbitMqDlqAdapter({
        url: RABBIT_URL,
        managementUrl: MANAGEMENT_URL,
        queues: [],
        tls: null,
      });
      try {
        // The management API's counters lag the broker by up to its refresh interval (5 s).
        let found = await adapter.discover();
        for (let i = 0; i < 60 && found.find((q) => q.name === graveyard)?.messages !== 1; i++) {
          await new Promise((r) => setTimeout(r, 250));
          found = await adapter.discover();
        }
        const byName = new Map(found.map((q) => [q.name, q]));
        expect(byName.get(graveyard)).toEqual({
          system: 'rabbitmq',
          name: graveyard,
          messages: 1,
          source: 'dead-letter-exchange',
        });
        expect(byName.get(parked)?.source).toBe('dead-letter-exchange');
        expect(byName.get(deadNamed)?.source).toBe('name');
        // The queues that dead-letter are not DLQs themselves.
        expect(byName.has(work)).toBe(false);
        expect(byName.has(jobs)).toBe(false);
      } finally {
        await adapter.close();
      }
    });
  },
);
