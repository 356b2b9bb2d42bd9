import { describe, expect, it } from 'vitest';
import type { PathwayEdge } from '@/lib/model/series';
import { PathwayRegistry } from './pathway-registry';

const edge = (over: Partial<PathwayEdge>): PathwayEdge => ({
  hash: 'h1',
  parentHash: '',
  service: '',
  system: 'rabbitmq',
  destination: 'x',
  hops: null,
  seenUs: 1,
  ...over,
});

describe('PathwayRegistry', () => {
  it('keeps the destination the producer sent to when consumers of a fan-out report their own queues', () => {
    const registry = new PathwayRegistry(new Map());
    const sent = edge({ service: 'billing', parentHash: 'h0', destination: 'billing-events:receipt.issued' });
    registry.stage([sent]);
    registry.commit();
    const staged = registry.stage([
      edge({ destination: 'billing-events:receipt.issued:receipts.mail', hops: 2, seenUs: 2 }),
      edge({ destination: 'billing-events:receipt.issued:receipts.ledger', hops: 2, seenUs: 3 }),
    ]);
    // (seenUs is refreshed at most once a minute: the second report changes nothing worth writing.)
    expect(staged).toEqual([{ ...sent, hops: 2, seenUs: 2 }]);
  });

  it('takes a consumer’s destination until the producer is heard from, then the producer’s', () => {
    const registry = new PathwayRegistry(new Map());
    expect(registry.stage([edge({ destination: 'orders-x:k:q' })])[0]?.destination).toBe('orders-x:k:q');
    const [merged] = registry.stage([edge({ service: 'shop', parentHash: 'h0', destination: 'orders-x:k' })]);
    expect(merged).toMatchObject({ service: 'shop', parentHash: 'h0', destination: 'orders-x:k' });
  });
});
