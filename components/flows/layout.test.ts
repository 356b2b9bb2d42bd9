import { describe, expect, it } from 'vitest';
import { layoutFlowGraph } from './layout';

const node = (id: string, kind: 'service' | 'destination') => ({
  id,
  kind,
  name: id,
  system: null,
  role: null,
  label: id,
});

describe('layoutFlowGraph', () => {
  it('places a pipeline left to right, one rank per step', () => {
    const positions = layoutFlowGraph({
      nodes: [node('checkout', 'service'), node('orders', 'destination'), node('billing', 'service')],
      edges: [
        { source: 'checkout', target: 'orders' },
        { source: 'orders', target: 'billing' },
      ] as never,
    });
    const x = Object.fromEntries(positions.map((p) => [p.id, p.x]));
    expect(x.checkout).toBeLessThan(x.orders!);
    expect(x.orders).toBeLessThan(x.billing!);
  });

  it('keeps every node apart', () => {
    const nodes = ['a', 'b', 'c', 'd'].map((id) => node(id, 'service'));
    const positions = layoutFlowGraph({
      nodes: [...nodes, node('q', 'destination')],
      edges: nodes.map((n) => ({ source: n.id, target: 'q' })) as never,
    });
    const keys = new Set(positions.map((p) => `${Math.round(p.x)},${Math.round(p.y)}`));
    expect(keys.size).toBe(5);
  });
});
