import { describe, expect, it } from 'vitest';
import { type SeriesKind, emptyAggregate } from '@/lib/model/series';
import type { SeriesTotals } from '@/lib/store/types';
import { analyseFlows } from './flows';
import type { RabbitTopology } from '@/lib/model/rabbitmq-topology';

const range = { from: '1m', to: 'now', fromUs: 0, toUs: 60_000_000 };
let nextId = 1;
const rabbit = (kind: SeriesKind, service: string, destination: string, messages: number): SeriesTotals => ({
  seriesId: nextId++,
  dims: {
    source: 'spans',
    kind,
    service,
    system: 'rabbitmq',
    destination,
    consumerGroup: null,
    pathwayHash: null,
    errorType: null,
  },
  ...emptyAggregate(),
  messages,
  buckets: [],
});

const topology: RabbitTopology = {
  exchanges: [
    { vhost: '/', name: 'orders-x', type: 'topic', alternateExchange: null },
    { vhost: '/', name: 'dlx', type: 'fanout', alternateExchange: null },
  ],
  queues: [
    { vhost: '/', name: 'billing-q', deadLetterExchange: 'dlx', deadLetterRoutingKey: null },
    { vhost: '/', name: 'audit-q', deadLetterExchange: null, deadLetterRoutingKey: null },
    { vhost: '/', name: 'dead-q', deadLetterExchange: null, deadLetterRoutingKey: null },
  ],
  bindings: [
    {
      vhost: '/',
      source: 'orders-x',
      destination: 'billing-q',
      destinationType: 'queue',
      routingKey: 'order.*',
    },
    {
      vhost: '/',
      source: 'orders-x',
      destination: 'audit-q',
      destinationType: 'queue',
      routingKey: 'order.#',
    },
    { vhost: '/', source: 'dlx', destination: 'dead-q', destinationType: 'queue', routingKey: '' },
  ],
};

const totals = [
  rabbit('publish', 'shop', 'orders-x:order.created', 10),
  rabbit('publish', 'shop', 'orders-x:invoice.sent', 4),
  rabbit('process', 'billing', 'orders-x:order.created:billing-q', 10),
];

describe('analyseFlows with RabbitMQ bindings', () => {
  const { graph } = analyseFlows(range, totals, topology);
  const node = (name: string) => graph.nodes.find((n) => n.id === `destination:rabbitmq:${name}`);

  it('draws each bound queue, consumed or not, on the node telemetry uses, and dead-letter routes', () => {
    expect(
      graph.edges
        .filter((e) => e.kind === 'route')
        .map((e) => [e.source.slice(21), e.target.slice(21), e.via, e.messages]),
    ).toEqual([
      ['dlx:order.created', 'dlx:order.created:dead-q', 'binding', 0],
      ['orders-x:order.created', 'orders-x:order.created:audit-q', 'binding', 10],
      ['orders-x:order.created', 'orders-x:order.created:billing-q', 'binding', 10],
      ['orders-x:order.created:billing-q', 'dlx:order.created', 'dead-letter', 0],
    ]);
    expect(graph.nodes.filter((n) => n.name === 'orders-x:order.created:billing-q')).toHaveLength(1);
    expect([
      node('orders-x:order.created:audit-q')?.role,
      node('orders-x:order.created:audit-q')?.label,
    ]).toEqual(['queue', 'audit-q']);
    // Its dead-letter route does not make a queue an exchange.
    expect(node('orders-x:order.created:billing-q')?.role).toBe('queue');
  });

  it('labels exchanges with their type and flags what no binding takes', () => {
    expect(node('orders-x:order.created')).toMatchObject({
      role: 'exchange',
      exchangeType: 'topic',
      label: 'orders-x',
    });
    expect(node('orders-x:order.created')?.unroutable).toBeUndefined();
    expect(node('dlx:order.created')).toMatchObject({
      role: 'exchange',
      exchangeType: 'fanout',
      label: 'dlx',
    });
    expect(node('orders-x:invoice.sent')?.unroutable).toBe(
      'no binding of topic exchange orders-x matches key "invoice.sent"',
    );
  });

  it('claims nothing without bindings', () => {
    const plain = analyseFlows(range, totals).graph;
    expect(plain.nodes.some((n) => n.exchangeType !== undefined || n.unroutable !== undefined)).toBe(false);
    expect(plain.edges.some((e) => e.via !== undefined)).toBe(false);
  });
});
