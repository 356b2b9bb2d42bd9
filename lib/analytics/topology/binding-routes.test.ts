import { describe, expect, it } from 'vitest';
import { bindingRouting } from './binding-routes';
import type { RabbitBinding, RabbitTopology } from '@/lib/model/rabbitmq-topology';
import { brokerRouting } from './routes';

const exchange = (name: string, type: string, alternateExchange: string | null = null) => ({
  vhost: '/',
  name,
  type,
  alternateExchange,
});
const queue = (
  name: string,
  deadLetterExchange: string | null = null,
  deadLetterRoutingKey: string | null = null,
) => ({
  vhost: '/',
  name,
  deadLetterExchange,
  deadLetterRoutingKey,
});
const bind = (
  source: string,
  destination: string,
  routingKey = '',
  destinationType: RabbitBinding['destinationType'] = 'queue',
) => ({
  vhost: '/',
  source,
  destination,
  destinationType,
  routingKey,
});

/** `from → to (via)` per route, sorted, for readable expectations. */
const drawn = (routes: { from: string; to: string; via?: string }[]) =>
  routes.map((r) => `${r.from} → ${r.to}${r.via ? ` (${r.via})` : ''}`).sort();

const orders: RabbitTopology = {
  exchanges: [exchange('orders-x', 'topic'), exchange('', 'direct')],
  queues: [queue('billing-q'), queue('audit-q'), queue('eu-q')],
  bindings: [
    bind('orders-x', 'billing-q', 'order.*'),
    bind('orders-x', 'audit-q', 'order.#'),
    bind('orders-x', 'eu-q', '*.*.eu'),
    bind('', 'billing-q', 'billing-q'),
  ],
};

describe('bindingRouting', () => {
  it('routes a topic publish to each queue whose pattern matches, named as telemetry names deliveries', () => {
    const { routes, exchanges } = bindingRouting(
      ['orders-x:order.created', 'orders-x:order.created.eu'],
      [],
      [],
      orders,
    );
    expect(drawn(routes)).toEqual([
      'orders-x:order.created → orders-x:order.created:audit-q (binding)',
      'orders-x:order.created → orders-x:order.created:billing-q (binding)',
      'orders-x:order.created.eu → orders-x:order.created.eu:audit-q (binding)',
      'orders-x:order.created.eu → orders-x:order.created.eu:eu-q (binding)',
    ]);
    expect(routes.find((r) => r.to === 'orders-x:order.created:billing-q')).toMatchObject({
      system: 'rabbitmq',
      queue: 'billing-q',
      carries: 'orders-x:order.created',
    });
    expect(exchanges.get('orders-x:order.created')).toEqual({ exchangeType: 'topic', unroutable: null });
  });

  it('direct: equal keys only; a key equal to the queue is the same node, no route', () => {
    const topology: RabbitTopology = {
      exchanges: [exchange('pay-x', 'direct')],
      queues: [queue('payments'), queue('refunds')],
      bindings: [bind('pay-x', 'payments', 'payments'), bind('pay-x', 'refunds', 'refund')],
    };
    const { routes } = bindingRouting(['pay-x:refund', 'pay-x:payments', 'pay-x:other'], [], [], topology);
    expect(drawn(routes)).toEqual(['pay-x:refund → pay-x:refund:refunds (binding)']);
  });

  it('fanout: every bound queue, published with or without a key', () => {
    const topology: RabbitTopology = {
      exchanges: [exchange('events', 'fanout')],
      queues: [queue('mailer-q'), queue('search-q')],
      bindings: [bind('events', 'mailer-q'), bind('events', 'search-q', 'ignored')],
    };
    expect(drawn(bindingRouting(['events', 'events:user.signed-up'], [], [], topology).routes)).toEqual([
      'events → events:mailer-q (binding)',
      'events → events:search-q (binding)',
      'events:user.signed-up → events:user.signed-up:mailer-q (binding)',
      'events:user.signed-up → events:user.signed-up:search-q (binding)',
    ]);
  });

  it('headers: every binding, flagged as uncertain, and never unroutable', () => {
    const topology: RabbitTopology = {
      exchanges: [exchange('match-x', 'headers')],
      queues: [queue('pdf-q')],
      bindings: [bind('match-x', 'pdf-q')],
    };
    const { routes, exchanges } = bindingRouting(['match-x:doc'], [], [], topology);
    expect(routes).toMatchObject([
      { to: 'match-x:doc:pdf-q', uncertain: expect.stringMatching(/headers exchange match-x/) as string },
    ]);
    expect(exchanges.get('match-x:doc')).toEqual({ exchangeType: 'headers', unroutable: null });
  });

  it('follows exchange-to-exchange bindings with the same key, delivering under the exchange published to', () => {
    const topology: RabbitTopology = {
      exchanges: [exchange('edge-x', 'direct'), exchange('inner-x', 'topic')],
      queues: [queue('inner-q')],
      bindings: [bind('edge-x', 'inner-x', 'k.1', 'exchange'), bind('inner-x', 'inner-q', 'k.*')],
    };
    const { routes } = bindingRouting(['edge-x:k.1'], [], [], topology);
    expect(drawn(routes)).toEqual([
      'edge-x:k.1 → inner-x:k.1 (binding)',
      'inner-x:k.1 → edge-x:k.1:inner-q (binding)',
    ]);
    expect(routes.every((r) => r.carries === 'edge-x:k.1')).toBe(true);
  });

  it('sends what no binding matches to the alternate exchange, and only that', () => {
    const topology: RabbitTopology = {
      exchanges: [exchange('main-x', 'direct', 'ae-x'), exchange('ae-x', 'fanout')],
      queues: [queue('main-q'), queue('lost-q')],
      bindings: [bind('main-x', 'main-q', 'known'), bind('ae-x', 'lost-q')],
    };
    const { routes, exchanges } = bindingRouting(['main-x:known', 'main-x:typo'], [], [], topology);
    expect(drawn(routes)).toEqual([
      'ae-x:typo → main-x:typo:lost-q (binding)',
      'main-x:known → main-x:known:main-q (binding)',
      'main-x:typo → ae-x:typo (alternate)',
    ]);
    expect(exchanges.get('main-x:typo')).toEqual({ exchangeType: 'direct', unroutable: null });
    expect(exchanges.get('ae-x:typo')).toEqual({ exchangeType: 'fanout', unroutable: null });
  });

  it('routes a queue’s dead letters to its dead-letter exchange, with the message’s key or the queue’s', () => {
    const topology: RabbitTopology = {
      exchanges: [exchange('orders-x', 'topic'), exchange('dlx', 'direct'), exchange('parking', 'fanout')],
      queues: [
        queue('billing-q', 'dlx'),
        queue('billing-dlq'),
        queue('payments', 'parking', 'failed'),
        queue('parked-q'),
        queue('retry', '', 'payments'),
      ],
      bindings: [
        bind('orders-x', 'billing-q', 'order.*'),
        bind('dlx', 'billing-dlq', 'order.created'),
        bind('parking', 'parked-q'),
      ],
    };
    const { routes, exchanges } = bindingRouting(
      ['orders-x:order.created'],
      ['payments', 'retry'],
      [],
      topology,
    );
    expect(drawn(routes)).toEqual([
      'dlx:order.created → dlx:order.created:billing-dlq (binding)',
      'orders-x:order.created → orders-x:order.created:billing-q (binding)',
      'orders-x:order.created:billing-q → dlx:order.created (dead-letter)',
      'parking:failed → parking:failed:parked-q (binding)',
      'payments → parking:failed (dead-letter)',
      'retry → payments (dead-letter)',
    ]);
    // Dead letters are counted by nothing the graph reads.
    expect(routes.filter((r) => r.via === 'dead-letter').every((r) => r.carries === null)).toBe(true);
    expect(exchanges.get('dlx:order.created')?.exchangeType).toBe('direct');
  });

  it('calls a publish unroutable when no binding takes it and there is no alternate, saying why', () => {
    const topology: RabbitTopology = {
      exchanges: [
        exchange('orders-x', 'topic'),
        exchange('empty-x', 'fanout'),
        exchange('strict-x', 'direct', 'ae-x'),
        exchange('ae-x', 'direct'),
      ],
      queues: [queue('billing-q')],
      bindings: [bind('orders-x', 'billing-q', 'order.*')],
    };
    const { exchanges } = bindingRouting(
      ['orders-x:invoice.sent', 'empty-x', 'strict-x:k', 'unknown-x:k'],
      [],
      [],
      topology,
    );
    expect(exchanges.get('orders-x:invoice.sent')?.unroutable).toBe(
      'no binding of topic exchange orders-x matches key "invoice.sent"',
    );
    expect(exchanges.get('empty-x')?.unroutable).toBe('nothing is bound to fanout exchange empty-x');
    expect(exchanges.get('strict-x:k')?.unroutable).toBe(
      'nothing is bound to direct exchange strict-x, and its alternate exchange ae-x routes it to no queue',
    );
    // An exchange the management API does not list (another vhost or broker): no claim.
    expect(exchanges.has('unknown-x:k')).toBe(false);
  });

  it('does not call unroutable what telemetry saw routed in the window', () => {
    const topology: RabbitTopology = { exchanges: [exchange('gone-x', 'topic')], queues: [], bindings: [] };
    const inferred = [{ system: 'rabbitmq', from: 'gone-x:k', to: 'gone-x:k:q', queue: 'q' }];
    expect(
      bindingRouting(['gone-x:k'], [], inferred, topology).exchanges.get('gone-x:k')?.unroutable,
    ).toBeNull();
  });
});

describe('brokerRouting', () => {
  const at = (destination: string) => ({ system: 'rabbitmq', destination });

  it('merges with telemetry: one route per queue node, the bindings’ where both know it', () => {
    const { routes } = brokerRouting(
      [at('orders-x:order.created')],
      [at('orders-x:order.created:billing-q'), at('orders-x:order.created:gone-q')],
      orders,
    );
    expect(drawn(routes)).toEqual([
      'orders-x:order.created → orders-x:order.created:audit-q (binding)',
      'orders-x:order.created → orders-x:order.created:billing-q (binding)',
      // Unbound since, but seen delivering: telemetry's route stays.
      'orders-x:order.created → orders-x:order.created:gone-q',
    ]);
  });

  it('replaces the direct route telemetry infers through an alternate exchange by the two hops', () => {
    const topology: RabbitTopology = {
      exchanges: [exchange('main-x', 'direct', 'ae-x'), exchange('ae-x', 'fanout')],
      queues: [queue('lost-q')],
      bindings: [bind('ae-x', 'lost-q')],
    };
    const { routes } = brokerRouting([at('main-x:typo')], [at('main-x:typo:lost-q')], topology);
    expect(drawn(routes)).toEqual([
      'ae-x:typo → main-x:typo:lost-q (binding)',
      'main-x:typo → ae-x:typo (alternate)',
    ]);
  });

  it('without bindings is the telemetry routes alone, claiming nothing', () => {
    const { routes, exchanges } = brokerRouting([at('x:k')], [at('x:k:q')], null);
    expect(drawn(routes)).toEqual(['x:k → x:k:q']);
    expect(exchanges.size).toBe(0);
  });
});
