import { describe, expect, it } from 'vitest';
import { jetstreamRoutes } from './jetstream-routes';
import { brokerRoutes } from './routes';

const nats = (destination: string) => ({ system: 'nats', destination });

describe('jetstreamRoutes', () => {
  it('routes each published subject into the stream seen delivering it, by name or filter', () => {
    const routes = jetstreamRoutes(
      [nats('orders.created'), nats('orders.shipped'), nats('payments.done'), nats('audit')],
      [nats('orders.created (stream ORDERS)'), nats('orders.* (stream ORDERS)'), nats('audit')],
    );
    expect(routes).toEqual([
      { system: 'nats', from: 'orders.created', to: 'ORDERS' },
      { system: 'nats', from: 'orders.shipped', to: 'ORDERS' },
    ]);
  });

  it('draws no route from a subject to a stream of the same name', () => {
    expect(jetstreamRoutes([nats('EVENTS')], [nats('EVENTS (stream EVENTS)')])).toEqual([]);
  });

  it('keeps stream deliveries out of wildcard subscription routes', () => {
    const routes = brokerRoutes([nats('a.created')], [nats('*.created (stream A)'), nats('*.created')]);
    expect(routes).toEqual([
      { system: 'nats', from: 'a.created', to: '*.created' },
      { system: 'nats', from: 'a.created', to: 'A' },
    ]);
  });
});
