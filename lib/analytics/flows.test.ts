import { describe, expect, it } from 'vitest';
import type { SeriesDims } from '@/lib/model/series';
import type { SeriesTotals } from '@/lib/store/types';
import { rollupBucket } from '@/lib/model/histogram';
import { analyseFlows, latencyOf } from './flows';

const range = { from: '1m', to: 'now', fromUs: 0, toUs: 60_000_000 };
let nextId = 1;

/** A series with `latencies` (seconds) bucketed as the store does. */
function series(
  dims: Partial<SeriesDims> & Pick<SeriesDims, 'kind'>,
  messages: number,
  errors: number,
  latencies: number[] = [],
): SeriesTotals {
  return {
    seriesId: nextId++,
    dims: {
      source: 'spans',
      service: 'billing',
      system: 'kafka',
      destination: 'orders',
      consumerGroup: null,
      pathwayHash: null,
      errorType: null,
      ...dims,
    },
    messages,
    errors,
    latencyCount: latencies.length,
    latencySum: latencies.reduce((a, b) => a + b, 0),
    latencyMin: latencies.length ? Math.min(...latencies) : null,
    latencyMax: latencies.length ? Math.max(...latencies) : null,
    buckets: latencies.map((l) => ({ ...rollupBucket(l), count: 1 })),
  };
}

describe('analyseFlows', () => {
  it('makes services and destinations nodes, publishes and deliveries edges', () => {
    const { graph } = analyseFlows(range, [
      series({ kind: 'publish', service: 'checkout' }, 120, 0, [0.002, 0.002]),
      series(
        { kind: 'publish', service: 'billing', system: 'rabbitmq', destination: 'payments' },
        60,
        1,
        [0.001],
      ),
      series({ kind: 'delivery', consumerGroup: 'billing' }, 120, 2, [0.01, 0.012, 0.014]),
    ]);
    expect(graph.nodes.map((n) => n.id).sort()).toEqual([
      'destination:kafka:orders',
      'destination:rabbitmq:payments',
      'service:billing',
      'service:checkout',
    ]);
    expect(graph.edges).toHaveLength(3);
    const delivery = graph.edges.find((e) => e.latencyKind === 'delivery')!;
    expect(delivery).toMatchObject({
      id: 'destination:kafka:orders->service:billing#billing',
      source: 'destination:kafka:orders',
      target: 'service:billing',
      consumerGroup: 'billing',
      messages: 120,
      errors: 2,
      ratePerSecond: 2,
      latencySamples: 3,
      sources: { messages: 'spans', errors: 'spans', latency: 'spans' },
    });
    // The median of 10, 12 and 14 ms, within the rollup buckets' relative error.
    expect(delivery.p50Ms).toBeGreaterThan(12 * 0.95);
    expect(delivery.p50Ms).toBeLessThan(12 * 1.05);
    expect(graph.consumerGroups).toEqual([
      {
        id: 'group:kafka:orders:billing',
        name: 'billing',
        system: 'kafka',
        destination: 'orders',
        destinationId: 'destination:kafka:orders',
        serviceIds: ['service:billing'],
        messages: 120,
        errors: 2,
        ratePerSecond: 2,
      },
    ]);
  });

  it('prefers metrics (exact under sampling) for counts and latency, and says so', () => {
    const { graph } = analyseFlows(range, [
      // 1% of traces sampled: spans saw 10 deliveries; the edge.latency histogram saw all 1000.
      series({ kind: 'delivery' }, 10, 1, [0.5]),
      series({ kind: 'delivery', source: 'metrics', pathwayHash: 'aaaaaaaaaaaaaaaa' }, 600, 0, [0.02, 0.02]),
      series({ kind: 'delivery', source: 'metrics', pathwayHash: 'bbbbbbbbbbbbbbbb' }, 400, 0, [0.02]),
    ]);
    const [edge] = graph.edges;
    expect(edge).toMatchObject({
      messages: 1000,
      errors: 1,
      sources: { messages: 'metrics', errors: 'spans', latency: 'metrics' },
    });
    expect(edge!.p99Ms).toBeLessThan(25);
  });

  it('counts publishes from the semconv sent counter before pathway counters and spans', () => {
    const { graph } = analyseFlows(range, [
      series({ kind: 'publish', service: 'checkout' }, 5, 0, [0.001]),
      series(
        { kind: 'sent', source: 'metrics', service: 'checkout', pathwayHash: 'aaaaaaaaaaaaaaaa' },
        70,
        0,
      ),
      series({ kind: 'sent', source: 'metrics', service: 'checkout' }, 68, 0),
      series({ kind: 'sent', source: 'metrics', service: 'checkout', errorType: 'Timeout' }, 2, 2),
    ]);
    expect(graph.edges[0]).toMatchObject({
      messages: 70,
      errors: 2,
      sources: { messages: 'metrics', errors: 'metrics', latency: 'spans' },
    });
  });

  it('gives a consumer that only reports receive spans an edge from its receive series', () => {
    // Plain Kafka client instrumentation: a receive span per poll, counted by messaging.batch.message_count.
    const receive = series(
      { kind: 'receive', service: 'ledger', consumerGroup: 'ledger' },
      9,
      3,
      [0.03, 0.05],
    );
    const { graph, figures } = analyseFlows(range, [
      series({ kind: 'publish', service: 'checkout' }, 9, 0, [0.001]),
      receive,
    ]);
    const edge = graph.edges.find((e) => e.id === 'destination:kafka:orders->service:ledger#ledger');
    expect(edge).toMatchObject({
      latencyKind: 'delivery',
      deliveryEnd: 'receive',
      messages: 9,
      errors: 3,
      latencySamples: 2,
      sources: { messages: 'spans', errors: 'spans', latency: 'spans' },
    });
    expect(edge!.p99Ms).toBeGreaterThan(50 * 0.95);
    expect(edge!.p99Ms).toBeLessThan(50 * 1.05);
    expect(graph.consumerGroups.map((g) => [g.id, g.messages])).toEqual([['group:kafka:orders:ledger', 9]]);
    // Slowest messages are read from the receive spans behind that latency.
    expect(figures.get(edge!.id)!.spanSeriesIds).toEqual([receive.seriesId]);
    // Tables say what the latency runs to.
    expect(latencyOf(edge!)).toBe('send → receive');
    expect(latencyOf(graph.edges.find((e) => e.latencyKind === 'publish')!)).toBe('publish');
  });

  it('shows only the process-span numbers for a consumer that reports both receive and process spans', () => {
    // One poll of 10 messages, each then processed: the same 10 messages seen twice.
    const delivery = series({ kind: 'delivery', consumerGroup: 'billing' }, 10, 1, [0.01, 0.012]);
    const processOnly = analyseFlows(range, [delivery]).graph.edges[0];
    const { graph, figures } = analyseFlows(range, [
      delivery,
      series({ kind: 'receive', consumerGroup: 'billing' }, 10, 4, [0.002]),
    ]);
    expect(graph.edges).toHaveLength(1);
    expect(graph.edges[0]).toEqual(processOnly);
    expect(graph.edges[0]).toMatchObject({
      messages: 10,
      errors: 1,
      latencySamples: 2,
      deliveryEnd: 'process',
    });
    expect(latencyOf(graph.edges[0]!)).toBe('send → process');
    expect(figures.get(graph.edges[0]!.id)!.spanSeriesIds).toEqual([delivery.seriesId]);
  });

  it('keeps a destination with the same name on two systems apart', () => {
    const { graph } = analyseFlows(range, [
      series({ kind: 'publish', service: 'a', destination: 'events' }, 1, 0),
      series({ kind: 'publish', service: 'a', system: 'nats', destination: 'events' }, 1, 0),
    ]);
    expect(graph.nodes.filter((n) => n.kind === 'destination')).toHaveLength(2);
  });

  it('connects a NATS subject to the wildcard subscription that receives it with a route edge', () => {
    const nats = { system: 'nats' };
    const { graph } = analyseFlows(range, [
      series({ ...nats, kind: 'publish', service: 'shop', destination: 'orders.eu' }, 12, 1, [0.001]),
      series({ ...nats, kind: 'publish', service: 'shop-us', destination: 'orders.us' }, 5, 0, [0.001]),
      series({ ...nats, kind: 'delivery', service: 'billing', destination: 'orders.*' }, 17, 0, [0.01]),
    ]);
    const route = (from: string) =>
      graph.edges.find((e) => e.source === `destination:nats:${from}` && e.kind === 'route');
    expect(route('orders.eu')).toMatchObject({
      target: 'destination:nats:orders.*',
      latencyKind: 'route',
      messages: 12,
      errors: 1,
      p99Ms: null,
    });
    expect(route('orders.us')).toMatchObject({ messages: 5 });
    expect(graph.edges.map((e) => e.kind).sort()).toEqual([
      'deliver',
      'publish',
      'publish',
      'route',
      'route',
    ]);
    expect(latencyOf(route('orders.eu')!)).toBe('routing (none of its own)');
  });
});
