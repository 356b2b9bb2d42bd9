import { describe, expect, it } from 'vitest';
import { rabbitmqDestination } from './rabbitmq-destination';

const rk = (key: string) => ({ 'messaging.rabbitmq.destination.routing_key': key });

describe('rabbitmqDestination', () => {
  it('brings the Java agent’s default-convention names to {exchange}:{key}[:{queue}] (agent 2.33.1)', () => {
    expect(rabbitmqDestination('orders-x', rk('order.created'), 'orders-x publish', 'send')).toBe(
      'orders-x:order.created',
    );
    expect(rabbitmqDestination('orders-x', rk('order.created'), 'billing-q process', 'process')).toBe(
      'orders-x:order.created:billing-q',
    );
    // A queue bound with its own name as the key collapses, as our instrumentation names it.
    expect(rabbitmqDestination('orders-x', rk('billing-q'), 'billing-q process', 'process')).toBe(
      'orders-x:billing-q',
    );
    expect(rabbitmqDestination('<default>', rk('payments'), 'payments process', 'process')).toBe('payments');
  });

  it('leaves names already in the current form, the default exchange by queue, and settles alone', () => {
    expect(rabbitmqDestination('orders-x:order.created:billing-q', rk('order.created'), 'x', 'process')).toBe(
      'orders-x:order.created:billing-q',
    );
    expect(rabbitmqDestination('payments', rk('payments'), 'send payments', 'send')).toBe('payments');
    expect(rabbitmqDestination('events', {}, 'send events', 'send')).toBe('events');
    expect(rabbitmqDestination('orders-x', rk('k'), 'basic.ack', 'settle')).toBe('orders-x');
    // A delivery whose span name does not say the queue keeps the exchange.
    expect(rabbitmqDestination('orders-x', rk('k'), 'process', 'process')).toBe('orders-x');
  });
});
