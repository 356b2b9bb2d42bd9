import { describe, expect, it } from 'vitest';
import { metricsToJson, metricsToProtobuf, recordMetrics } from '@/lib/testing/otlp-fixtures';
import type { ExponentialHistogramPoint, HistogramPoint, MetricPoint, NumberPoint } from '@/lib/model/metric';
import { OtlpDecodeError } from '@/lib/model/telemetry';
import { decodeMetricsJson } from './otlp-json-metrics';
import { decodeMetricsProtobuf } from './otlp-proto-metrics';

// Real SDK metrics of every kind, serialized by @opentelemetry/otlp-transformer:
// the round trip pins the field numbers of our protobuf descriptor.
const attrs = { 'messaging.system': 'kafka', 'messaging.destination.name': 'orders' };

async function sdkMetrics(temporality: 'delta' | 'cumulative', exponential: boolean) {
  const recorder = recordMetrics(
    'billing',
    (meter) => {
      meter.createCounter('signalbox.messaging.redeliveries').add(3, attrs);
      meter.createUpDownCounter('queue.depth').add(-2, attrs);
      meter.createGauge('temperature').record(21.5);
      const histogram = meter.createHistogram('signalbox.messaging.edge.latency', {
        unit: 's',
        advice: { explicitBucketBoundaries: [0.001, 0.01, 0.1, 1] },
      });
      for (const v of [0.0005, 0.004, 0.004, 0.05, 2]) histogram.record(v, attrs);
    },
    temporality,
    exponential,
  );
  const metrics = await recorder.collect();
  await recorder.shutdown();
  return metrics;
}

const byName = (points: MetricPoint[], name: string) => points.filter((p) => p.metric === name);

describe.each([
  ['protobuf', (m: Awaited<ReturnType<typeof sdkMetrics>>) => decodeMetricsProtobuf(metricsToProtobuf(m))],
  ['json', (m: Awaited<ReturnType<typeof sdkMetrics>>) => decodeMetricsJson(metricsToJson(m))],
])('OTLP %s decoding of SDK metrics', (_encoding, decode) => {
  it('keeps counters, up-down counters and gauges with temporality and attributes', async () => {
    const points = decode(await sdkMetrics('cumulative', false));
    const [counter] = byName(points, 'signalbox.messaging.redeliveries') as NumberPoint[];
    expect(counter).toMatchObject({
      type: 'sum',
      temporality: 'cumulative',
      monotonic: true,
      value: 3,
      attributes: attrs,
      resource: expect.objectContaining({ 'service.name': 'billing' }) as unknown,
    });
    expect(counter!.timeUs).toBeGreaterThanOrEqual(counter!.startTimeUs);
    expect(byName(points, 'queue.depth')[0]).toMatchObject({ type: 'sum', monotonic: false, value: -2 });
    expect(byName(points, 'temperature')[0]).toMatchObject({ type: 'gauge', value: 21.5 });
  });

  it('keeps explicit-bucket histograms with count, sum, min, max and bucket counts', async () => {
    const [h] = byName(
      decode(await sdkMetrics('delta', false)),
      'signalbox.messaging.edge.latency',
    ) as HistogramPoint[];
    expect(h).toMatchObject({
      type: 'histogram',
      temporality: 'delta',
      unit: 's',
      count: 5,
      min: 0.0005,
      max: 2,
      explicitBounds: [0.001, 0.01, 0.1, 1],
      bucketCounts: [1, 2, 1, 0, 1],
    });
    expect(h!.sum).toBeCloseTo(2.0585, 10);
  });

  it('keeps exponential histograms with scale, zero count and offset buckets', async () => {
    const [h] = byName(
      decode(await sdkMetrics('cumulative', true)),
      'signalbox.messaging.edge.latency',
    ) as ExponentialHistogramPoint[];
    expect(h).toMatchObject({ type: 'exponentialHistogram', count: 5, zeroCount: 0, min: 0.0005, max: 2 });
    expect(h!.positive.counts.reduce((a, b) => a + b, 0)).toBe(5);
    // Every value lies in the bucket the scale and offset say.
    const base = 2 ** (2 ** -h!.scale);
    const upper = base ** (h!.positive.offset + h!.positive.counts.length);
    expect(upper).toBeGreaterThanOrEqual(2);
  });
});

describe('malformed OTLP metrics', () => {
  const histogram = (point: Record<string, unknown>) =>
    JSON.stringify({
      resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'h', histogram: { dataPoints: [point] } }] }] }],
    });

  it.each([
    ['not JSON', '{"resourceMetrics": [', /not valid JSON/],
    [
      'metrics not an array',
      '{"resourceMetrics":[{"scopeMetrics":[{"metrics":7}]}]}',
      /metrics: expected an array/,
    ],
    [
      'counts that do not match the bounds',
      histogram({ explicitBounds: [1, 2], bucketCounts: [1] }),
      /expected explicitBounds.length \+ 1/,
    ],
    [
      'unsorted bounds',
      histogram({ explicitBounds: [2, 1], bucketCounts: [0, 0, 0] }),
      /strictly increasing/,
    ],
    ['a NaN sum', histogram({ sum: 'NaN' }), /sum: expected a finite number/],
    [
      'an impossible exponential scale',
      JSON.stringify({
        resourceMetrics: [
          {
            scopeMetrics: [
              { metrics: [{ name: 'e', exponentialHistogram: { dataPoints: [{ scale: 99 }] } }] },
            ],
          },
        ],
      }),
      /scale 99 is outside/,
    ],
  ])('rejects %s with the path of the problem', (_name, body, message) => {
    expect(() => decodeMetricsJson(body)).toThrow(OtlpDecodeError);
    expect(() => decodeMetricsJson(body)).toThrow(message);
  });

  it('reads summaries and enum names some hand-written exporters send', () => {
    const [point] = decodeMetricsJson(
      JSON.stringify({
        resourceMetrics: [
          {
            scopeMetrics: [
              {
                metrics: [
                  {
                    name: 's',
                    summary: {
                      dataPoints: [{ count: '4', sum: 2, quantileValues: [{ quantile: 0.5, value: 0.4 }] }],
                    },
                  },
                  {
                    name: 'c',
                    sum: {
                      aggregationTemporality: 'AGGREGATION_TEMPORALITY_DELTA',
                      dataPoints: [{ asInt: '7' }],
                    },
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
    expect(point).toMatchObject({
      type: 'summary',
      count: 4,
      sum: 2,
      quantiles: [{ quantile: 0.5, value: 0.4 }],
    });
  });

  it('rejects protobuf that is not an export request', () => {
    expect(() => decodeMetricsProtobuf(Buffer.from([0x0a, 0xff, 0x01]))).toThrow(OtlpDecodeError);
  });
});
