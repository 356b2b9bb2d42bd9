import { describe, expect, it } from 'vitest';
import { buildFlowGraph } from './flows';

const range = { from: '1m', to: 'now', fromUs: 0, toUs: 60_000_000 };
const percentiles = { p50Ms: 1.23456, p95Ms: 2, p99Ms: 3 };

describe('buildFlowGraph', () => {
  it('makes services and destinations nodes, publishes and deliveries edges', () => {
    const graph = buildFlowGraph(
      range,
      [
        {
          service: 'checkout',
          system: 'kafka',
          destination: 'orders',
          messages: 120,
          errors: 0,
          ...percentiles,
        },
        {
          service: 'billing',
          system: 'rabbitmq',
          destination: 'payments',
          messages: 60,
          errors: 1,
          ...percentiles,
        },
      ],
      [
        {
          system: 'kafka',
          destination: 'orders',
          service: 'billing',
          consumerGroup: 'billing',
          messages: 120,
          errors: 2,
          latencySamples: 120,
          ...percentiles,
        },
      ],
    );
    expect(graph.nodes.map((n) => n.id).sort()).toEqual([
      'destination:kafka:orders',
      'destination:rabbitmq:payments',
      'service:billing',
      'service:checkout',
    ]);
    expect(graph.edges).toHaveLength(3);
    const delivery = graph.edges.find((e) => e.latencyKind === 'delivery')!;
    expect(delivery).toMatchObject({
      source: 'destination:kafka:orders',
      target: 'service:billing',
      consumerGroup: 'billing',
      messages: 120,
      errors: 2,
      ratePerSecond: 2,
      p50Ms: 1.235,
    });
  });

  it('keeps a destination with the same name on two systems apart', () => {
    const graph = buildFlowGraph(
      range,
      [
        { service: 'a', system: 'kafka', destination: 'events', messages: 1, errors: 0, ...percentiles },
        { service: 'a', system: 'nats', destination: 'events', messages: 1, errors: 0, ...percentiles },
      ],
      [],
    );
    expect(graph.nodes.filter((n) => n.kind === 'destination')).toHaveLength(2);
  });
});
