import { describe, expect, it } from 'vitest';
import { type SeriesDims, emptyAggregate } from '@/lib/model/series';
import type { SeriesTotals } from '@/lib/store/types';
import { lagByFlowEdge } from '@/lib/lag/flows';
import type { LagSnapshot } from '@/lib/lag/types';
import { analyseFlows } from './flows';

const range = { from: '1m', to: 'now', fromUs: 0, toUs: 60_000_000 };
let nextId = 1;

function series(dims: Partial<SeriesDims> & Pick<SeriesDims, 'kind'>, messages: number): SeriesTotals {
  return {
    seriesId: nextId++,
    dims: {
      source: 'spans',
      service: 'shop',
      system: 'nats',
      destination: 'orders.created',
      consumerGroup: null,
      pathwayHash: null,
      errorType: null,
      ...dims,
    },
    ...emptyAggregate(),
    messages,
    buckets: [],
  };
}

const edges = (graph: ReturnType<typeof analyseFlows>['graph']) =>
  graph.edges.map((e) => [e.id, e.kind, e.messages]).sort();

describe('analyseFlows with JetStream streams', () => {
  it('draws publisher → subject → stream → consumers, one deliver edge per consumer', () => {
    const { graph } = analyseFlows(range, [
      series({ kind: 'publish', destination: 'orders.created' }, 3),
      series({ kind: 'publish', destination: 'orders.shipped' }, 2),
      // A durable consumer seen by both subjects, and an ephemeral one (no group).
      series(
        {
          kind: 'delivery',
          service: 'billing',
          consumerGroup: 'billing',
          destination: 'orders.created (stream ORDERS)',
        },
        3,
      ),
      series(
        {
          kind: 'delivery',
          service: 'billing',
          consumerGroup: 'billing',
          destination: 'orders.shipped (stream ORDERS)',
        },
        2,
      ),
      series({ kind: 'delivery', service: 'audit', destination: 'orders.created (stream ORDERS)' }, 3),
    ]);
    expect(edges(graph)).toEqual(
      [
        ['service:shop->destination:nats:orders.created', 'publish', 3],
        ['service:shop->destination:nats:orders.shipped', 'publish', 2],
        ['destination:nats:orders.created->destination:nats:ORDERS', 'route', 3],
        ['destination:nats:orders.shipped->destination:nats:ORDERS', 'route', 2],
        ['destination:nats:ORDERS->service:billing#billing', 'deliver', 5],
        ['destination:nats:ORDERS->service:audit', 'deliver', 3],
      ].sort(),
    );
    const stream = graph.nodes.find((n) => n.id === 'destination:nats:ORDERS');
    expect(stream).toMatchObject({ name: 'ORDERS', role: 'stream', label: 'ORDERS' });
    expect(graph.nodes.find((n) => n.id === 'destination:nats:orders.created')?.role).toBe('subject');
    expect(graph.consumerGroups).toEqual([
      expect.objectContaining({ name: 'billing', destination: 'ORDERS', messages: 5 }),
    ]);
  });

  it('leaves core NATS graphs as they were (subject → subscriber)', () => {
    const { graph } = analyseFlows(range, [
      series({ kind: 'publish' }, 4),
      series({ kind: 'delivery', service: 'billing' }, 4),
    ]);
    expect(edges(graph)).toEqual([
      ['destination:nats:orders.created->service:billing', 'deliver', 4],
      ['service:shop->destination:nats:orders.created', 'publish', 4],
    ]);
  });
});

describe('JetStream lag on the Flows graph', () => {
  it('matches a stream deliver edge to its consumer, as the lag poller names them (stream, consumer)', () => {
    const { graph } = analyseFlows(range, [
      series({ kind: 'publish' }, 1),
      series(
        {
          kind: 'delivery',
          service: 'billing',
          consumerGroup: 'billing',
          destination: 'orders.created (stream ORDERS)',
        },
        1,
      ),
    ]);
    const reading = { system: 'nats', destination: 'ORDERS', group: 'billing', status: 'ok', lagMessages: 7 };
    const lag = lagByFlowEdge(graph, {
      generatedAt: '',
      brokers: [],
      groups: [reading as unknown as LagSnapshot['groups'][number]],
    });
    expect(lag.get('destination:nats:ORDERS->service:billing#billing')).toMatchObject({
      group: 'billing',
      lagMessages: 7,
    });
  });
});
