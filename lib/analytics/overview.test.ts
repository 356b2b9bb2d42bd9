import { describe, expect, it } from 'vitest';
import type { FlowEdge, FlowGraph } from './flows';
import { busiestEdges, failingEdges, slowestDeliveries } from './overview';

function edge(
  id: string,
  messages: number,
  errors: number,
  p99Ms: number | null,
  latencyKind: FlowEdge['latencyKind'],
) {
  return {
    id,
    source: 'a',
    target: 'b',
    kind: latencyKind === 'delivery' ? ('deliver' as const) : latencyKind,
    latencyKind,
    deliveryEnd: latencyKind === 'delivery' ? ('process' as const) : null,
    system: 'kafka',
    consumerGroup: null,
    messages,
    errors,
    ratePerSecond: 0,
    p50Ms: null,
    p95Ms: null,
    p99Ms,
    latencySamples: messages,
    sources: { messages: 'spans', errors: 'spans', latency: 'spans' },
  } satisfies FlowEdge;
}

const graph: FlowGraph = {
  from: '15m',
  to: 'now',
  nodes: [],
  consumerGroups: [],
  edges: [
    edge('p1', 100, 0, 50, 'publish'),
    edge('d1', 90, 9, 20, 'delivery'),
    edge('d2', 10, 2, 900, 'delivery'),
    edge('d3', 500, 0, null, 'delivery'),
    edge('r1', 1000, 0, null, 'route'),
  ],
};

describe('overview rankings', () => {
  it('ranks busiest by messages, leaving out routes (their messages are the publish’s)', () => {
    expect(busiestEdges(graph).map((e) => e.id)).toEqual(['d3', 'p1', 'd1', 'd2']);
  });
  it('ranks slowest deliveries by p99 and skips publishes and unmeasured edges', () => {
    expect(slowestDeliveries(graph).map((e) => e.id)).toEqual(['d2', 'd1']);
  });
  it('ranks failing edges by error rate', () => {
    expect(failingEdges(graph).map((e) => e.id)).toEqual(['d2', 'd1']);
  });
});
