import { describe, expect, it } from 'vitest';
import { destinationRole } from './destination-role';
import { exchangeRoutes } from './exchange-routes';

const rabbit = (destination: string) => ({ system: 'rabbitmq', destination });

describe('exchangeRoutes', () => {
  it('routes a topic exchange publish to each queue that received it (fan-out: one route per queue)', () => {
    expect(
      exchangeRoutes(
        [rabbit('orders-x:order.created')],
        [rabbit('orders-x:order.created:billing-q'), rabbit('orders-x:order.created:audit-q')],
      ),
    ).toEqual([
      {
        system: 'rabbitmq',
        from: 'orders-x:order.created',
        to: 'orders-x:order.created:billing-q',
        queue: 'billing-q',
      },
      {
        system: 'rabbitmq',
        from: 'orders-x:order.created',
        to: 'orders-x:order.created:audit-q',
        queue: 'audit-q',
      },
    ]);
  });

  it('routes a fanout exchange published to without a routing key', () => {
    expect(exchangeRoutes([rabbit('events')], [rabbit('events:mailer-q')])).toMatchObject([
      { from: 'events', to: 'events:mailer-q', queue: 'mailer-q' },
    ]);
  });

  it('needs no route where publish and delivery name the same node (default exchange, key = queue)', () => {
    expect(exchangeRoutes([rabbit('payments'), rabbit('x:q')], [rabbit('payments'), rabbit('x:q')])).toEqual(
      [],
    );
  });

  it('does not route across exchanges, from a name that is not a prefix part, or on other brokers', () => {
    expect(
      exchangeRoutes(
        [rabbit('orders-x'), rabbit('orders-x:a'), { system: 'kafka', destination: 'o' }],
        [rabbit('orders-y:a:q'), rabbit('orders-x:a:b:q'), { system: 'kafka', destination: 'o:q' }],
      ),
    ).toEqual([]);
  });
});

describe('destinationRole', () => {
  it('names RabbitMQ exchanges and queues from how they route, and says so when it cannot tell', () => {
    expect(destinationRole('rabbitmq', 'orders-x:order.created', { routesFrom: true, consumed: false })).toBe(
      'exchange',
    );
    expect(destinationRole('rabbitmq', 'payments', { routesFrom: false, consumed: true })).toBe('queue');
    expect(
      destinationRole('rabbitmq', 'orders-x:order.created', { routesFrom: false, consumed: false }),
    ).toBe('exchange');
    expect(destinationRole('rabbitmq', 'lonely', { routesFrom: false, consumed: false })).toBeNull();
  });

  it('uses each broker’s own word', () => {
    const none = { routesFrom: false, consumed: false };
    expect(destinationRole('nats', 'orders.*', none)).toBe('filter');
    expect(destinationRole('nats', 'orders.eu', none)).toBe('subject');
    expect(destinationRole('mqtt', '$share/g/orders/#', none)).toBe('filter');
    expect(destinationRole('mqtt', 'orders/eu', none)).toBe('topic');
    expect(destinationRole('kafka', 'orders', none)).toBe('topic');
    expect(destinationRole('redis', 'orders', none)).toBe('stream');
    expect(destinationRole('aws_sqs', 'orders', none)).toBe('queue');
    expect(destinationRole('celery', 'orders', none)).toBeNull();
  });
});
