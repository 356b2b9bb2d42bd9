import { describe, expect, it } from 'vitest';
import { classifyMetric, pathwayEdgeOf, toSeriesSample } from './messaging-metric';
import type { ExponentialHistogramPoint, HistogramPoint, NumberPoint } from './metric';

const base = {
  resource: { 'service.name': 'billing' },
  startTimeUs: 0,
  timeUs: 60e6,
  temporality: 'delta' as const,
};
const dest = { 'messaging.system': 'kafka', 'messaging.destination.name': 'orders' };

function histogram(metric: string, unit: string, attributes: Record<string, string> = dest): HistogramPoint {
  return {
    ...base,
    metric,
    unit,
    attributes,
    type: 'histogram',
    count: 4,
    sum: 40,
    min: 2,
    max: 20,
    explicitBounds: [5, 10],
    bucketCounts: [1, 2, 1],
  };
}

describe('classifyMetric', () => {
  it('keeps the Signalbox and semconv messaging metrics, by the contract in PATHWAY.md', () => {
    expect(classifyMetric(histogram('signalbox.messaging.edge.latency', 's'))).toMatchObject({
      kind: 'delivery',
      source: 'metrics',
      service: 'billing',
      system: 'kafka',
      destination: 'orders',
    });
    expect(classifyMetric(histogram('signalbox.messaging.pathway.latency', 's'))?.kind).toBe('pathway');
    expect(classifyMetric(histogram('messaging.process.duration', 's'))?.kind).toBe('process');
    expect(
      classifyMetric(
        histogram('messaging.client.operation.duration', 's', {
          ...dest,
          'messaging.operation.type': 'send',
        }),
      )?.kind,
    ).toBe('publish');
  });

  it('drops what it does not use', () => {
    expect(classifyMetric(histogram('http.server.request.duration', 's'))).toBeNull();
    expect(
      classifyMetric(
        histogram('messaging.client.operation.duration', 's', {
          ...dest,
          'messaging.operation.type': 'receive',
        }),
      ),
    ).toBeNull();
    // A messaging metric without a destination cannot be placed on an edge.
    expect(
      classifyMetric(histogram('signalbox.messaging.edge.latency', 's', { 'messaging.system': 'kafka' })),
    ).toBeNull();
    // A duration in an unknown unit would be misread.
    expect(classifyMetric(histogram('signalbox.messaging.edge.latency', 'By'))).toBeNull();
  });
});

describe('toSeriesSample', () => {
  it('converts explicit buckets to seconds, with an open last bucket', () => {
    const point = histogram('messaging.process.duration', 'ms');
    const sample = toSeriesSample(point, classifyMetric(point)!);
    expect(sample).toMatchObject({ messages: 4, errors: 0 });
    expect(sample?.latency).toEqual({
      count: 4,
      sum: 0.04,
      min: 0.002,
      max: 0.02,
      buckets: [
        { lower: 0, upper: 0.005, count: 1 },
        { lower: 0.005, upper: 0.01, count: 2 },
        { lower: 0.01, upper: Infinity, count: 1 },
      ],
    });
  });

  it('reduces fine exponential scales onto the rollup grid and folds negatives into zero', () => {
    const point: ExponentialHistogramPoint = {
      ...base,
      metric: 'signalbox.messaging.edge.latency',
      unit: 's',
      attributes: dest,
      type: 'exponentialHistogram',
      count: 5,
      sum: 1,
      min: null,
      max: null,
      scale: 5,
      zeroCount: 1,
      positive: { offset: 0, counts: [1, 1, 1] }, // indexes 0..2 at scale 5 → index 0 at scale 3
      negative: { offset: 0, counts: [1] },
    };
    const buckets = toSeriesSample(point, classifyMetric(point)!)!.latency!.buckets;
    expect(buckets).toEqual([
      { lower: 1, upper: 2 ** (1 / 8), count: 3 },
      { lower: 0, upper: 0, count: 2 },
    ]);
  });

  it('counts errors from counters that carry error.type', () => {
    const point: NumberPoint = {
      ...base,
      metric: 'messaging.client.consumed.messages',
      unit: '{message}',
      attributes: { ...dest, 'error.type': 'Timeout' },
      type: 'sum',
      monotonic: true,
      value: 3,
    };
    expect(toSeriesSample(point, classifyMetric(point)!)).toMatchObject({ messages: 3, errors: 3 });
  });
});

describe('pathwayEdgeOf', () => {
  it('learns the parent of a route from pathway.sent', () => {
    const point: NumberPoint = {
      ...base,
      metric: 'signalbox.messaging.pathway.sent',
      unit: '',
      attributes: {
        ...dest,
        'signalbox.pathway.hash': '00000000000000aa',
        'signalbox.pathway.parent_hash': '',
      },
      type: 'sum',
      monotonic: true,
      value: 1,
    };
    expect(pathwayEdgeOf(point, classifyMetric(point)!)).toMatchObject({
      hash: '00000000000000aa',
      parentHash: '',
      service: 'billing',
      destination: 'orders',
    });
  });
});
