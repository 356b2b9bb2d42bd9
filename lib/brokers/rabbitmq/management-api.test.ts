import { expect, it } from 'vitest';
import { managementReading } from './lag';
import { parseQueues } from './management-api';

// Shaped like GET /api/queues?columns=… from RabbitMQ 3.x/4.x (rabbitmq.com/docs/http-api-reference).
const body = [
  {
    name: 'payments',
    vhost: '/',
    messages_ready: 12,
    messages_unacknowledged: 3,
    consumers: 2,
    head_message_timestamp: 1_700_000_000,
    message_stats: {
      ack: 500,
      ack_details: { rate: 4.2 },
      publish_details: { rate: 5 },
      deliver_get_details: { rate: 4.4 },
    },
  },
  { name: 'idle', vhost: 'shop', messages_ready: 0, messages_unacknowledged: 0, consumers: 0 },
];

it('reads ready, unacked, consumers, rates, ack position and head age', () => {
  const [payments, idle] = parseQueues(body).map((q) => managementReading(q, 1_700_000_030_000));
  expect(payments).toEqual({
    system: 'rabbitmq',
    group: 'payments',
    destination: 'payments',
    consumers: 2,
    partitions: [
      {
        partition: '',
        lagMessages: 12,
        lagSeconds: 30,
        lagSecondsSource: 'message-timestamp',
        position: 500,
        endPosition: null,
      },
    ],
    details: {
      ready: 12,
      unacked: 3,
      publishPerSecond: 5,
      deliverPerSecond: 4.4,
      ackPerSecond: 4.2,
      vhost: '/',
    },
  });
  // Another vhost is part of the name; no stats yet → no position; empty → 0 s.
  expect(idle).toMatchObject({
    group: 'shop/idle',
    partitions: [{ lagMessages: 0, lagSeconds: 0, position: null }],
  });
});

it('rejects an answer that is not a queue list, saying where', () => {
  expect(() => parseQueues([{ name: 'q', vhost: '/', messages_ready: 'many' }])).toThrow(
    /unexpected answer from the RabbitMQ management API at 0.messages_ready/,
  );
  expect(() => parseQueues({ error: 'x' })).toThrow(/management API/);
});
