import { describe, expect, it } from 'vitest';
import type { PathwayEdge, SeriesDims } from '@/lib/model/series';
import type { SeriesTotals } from '@/lib/store/types';
import { rollupBucket } from '@/lib/model/histogram';
import { pathwaysFromSeries, pathwaysFromTraces } from './latency';
import { rebuildRoute } from './pathway-route';

const edge = (hash: string, parentHash: string, service: string, destination: string): PathwayEdge => ({
  hash,
  parentHash,
  service,
  system: 'kafka',
  destination,
  hops: null,
  seenUs: 0,
});
const segments = new Map([
  ['aaaaaaaaaaaaaaaa', edge('aaaaaaaaaaaaaaaa', '', 'checkout', 'orders')],
  ['bbbbbbbbbbbbbbbb', edge('bbbbbbbbbbbbbbbb', 'aaaaaaaaaaaaaaaa', 'billing', 'payments')],
]);

function pathway(source: 'spans' | 'metrics', latencies: number[], hash = 'bbbbbbbbbbbbbbbb'): SeriesTotals {
  const dims: SeriesDims = {
    kind: 'pathway',
    source,
    service: 'notifier',
    system: 'kafka',
    destination: 'payments',
    consumerGroup: 'n',
    pathwayHash: hash,
    errorType: null,
  };
  return {
    seriesId: Math.random(),
    dims,
    messages: latencies.length,
    errors: 0,
    latencyCount: latencies.length,
    latencySum: 0,
    latencyMin: Math.min(...latencies),
    latencyMax: Math.max(...latencies),
    buckets: latencies.map((l) => ({ ...rollupBucket(l), count: 1 })),
  };
}

describe('rebuildRoute', () => {
  it('follows parent hashes back to the origin', () => {
    expect(rebuildRoute('bbbbbbbbbbbbbbbb', segments)).toEqual({
      route: [
        { service: 'checkout', system: 'kafka', destination: 'orders' },
        { service: 'billing', system: 'kafka', destination: 'payments' },
      ],
      complete: true,
    });
  });
  it('says when a segment is missing, and survives a cycle', () => {
    expect(rebuildRoute('cccccccccccccccc', segments)).toEqual({ route: [], complete: false });
    const cycle = new Map([['aaaaaaaaaaaaaaaa', edge('aaaaaaaaaaaaaaaa', 'aaaaaaaaaaaaaaaa', 'x', 'y')]]);
    expect(rebuildRoute('aaaaaaaaaaaaaaaa', cycle).complete).toBe(false);
  });
});

describe('pathwaysFromSeries', () => {
  it('takes metrics over spans for the same pathway and consumer', () => {
    const [p] = pathwaysFromSeries([pathway('spans', [9]), pathway('metrics', [0.1, 0.1, 0.1])], segments);
    expect(p).toMatchObject({
      id: 'bbbbbbbbbbbbbbbb',
      source: 'metrics',
      messages: 3,
      hops: 2,
      complete: true,
    });
    expect(p!.p50Ms).toBeCloseTo(100, -1);
  });
  it('falls back to spans when no metric series has data', () => {
    expect(pathwaysFromSeries([pathway('spans', [0.2])], segments)[0]).toMatchObject({
      source: 'spans',
      messages: 1,
    });
  });
});

describe('pathwaysFromTraces', () => {
  it('groups traces by route and consumer with exact percentiles', () => {
    const route = [{ service: 'a', system: 'kafka', destination: 'q' }];
    const rows = [10, 20, 30, 40].map((ms) => ({ route, consumer: 'b', e2eUs: ms * 1000, endUs: 0 }));
    const [p] = pathwaysFromTraces([...rows, { route: [], consumer: 'b', e2eUs: 1, endUs: 0 }]);
    expect(p).toMatchObject({ hash: null, messages: 4, p50Ms: 20, p99Ms: 40, source: 'spans', hops: 1 });
    expect(p!.id).toMatch(/^route-[0-9a-f]{8}$/);
  });
});
