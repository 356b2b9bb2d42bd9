import type Long from 'long';
import { type MetricPoint, temporalityOf } from '@/lib/model/metric';
import { type Attributes, OtlpDecodeError, checkedTimeUs } from '@/lib/model/telemetry';
import { checkExplicitBuckets, checkExponential, finite } from './metric-point-checks';
import { ExportMetricsServiceRequest } from './otlp-proto-schema';
import { type PbKeyValue, keyValues, longToNumber, nanosToMicros } from './otlp-proto-values';

/**
 * Decodes an OTLP/HTTP protobuf metrics export (ExportMetricsServiceRequest)
 * into MetricPoints. Presence matters for sum/min/max (proto3 `optional`):
 * protobufjs sets decoded fields as own properties, defaults live on the
 * prototype, so `Object.hasOwn` tells "absent" from "zero".
 */

type Num = Long | number;
interface PbPointBase {
  attributes: PbKeyValue[];
  startTimeUnixNano: Num;
  timeUnixNano: Num;
}
interface PbNumberPoint extends PbPointBase {
  value?: string;
  asDouble: number;
  asInt: Num;
}
interface PbHistogramPoint extends PbPointBase {
  count: Num;
  sum: number;
  min: number;
  max: number;
  bucketCounts: Num[];
  explicitBounds: number[];
}
interface PbBuckets {
  offset: number;
  bucketCounts: Num[];
}
interface PbExpPoint extends PbPointBase {
  count: Num;
  sum: number;
  min: number;
  max: number;
  scale: number;
  zeroCount: Num;
  positive?: PbBuckets | null;
  negative?: PbBuckets | null;
}
interface PbSummaryPoint extends PbPointBase {
  count: Num;
  sum: number;
  quantileValues: { quantile: number; value: number }[];
}
interface PbMetric {
  name: string;
  unit: string;
  data?: string;
  gauge?: { dataPoints: PbNumberPoint[] };
  sum?: { dataPoints: PbNumberPoint[]; aggregationTemporality: number; isMonotonic: boolean };
  histogram?: { dataPoints: PbHistogramPoint[]; aggregationTemporality: number };
  exponentialHistogram?: { dataPoints: PbExpPoint[]; aggregationTemporality: number };
  summary?: { dataPoints: PbSummaryPoint[] };
}
interface PbRequest {
  resourceMetrics: {
    resource?: { attributes: PbKeyValue[] } | null;
    scopeMetrics: { metrics: PbMetric[] }[];
  }[];
}

const present = (point: object, key: string, value: number): number | null =>
  Object.hasOwn(point, key) && Number.isFinite(value) ? value : null;

function base(metric: PbMetric, resource: Attributes, point: PbPointBase) {
  return {
    metric: metric.name,
    unit: metric.unit,
    resource,
    attributes: keyValues(point.attributes),
    startTimeUs: checkedTimeUs(nanosToMicros(point.startTimeUnixNano), 'startTimeUnixNano'),
    timeUs: checkedTimeUs(nanosToMicros(point.timeUnixNano), 'timeUnixNano'),
  };
}

function numberValue(point: PbNumberPoint, path: string): number {
  return point.value === 'asInt' ? longToNumber(point.asInt) : finite(point.asDouble, path);
}

function pushPoints(metric: PbMetric, resource: Attributes, out: MetricPoint[], path: string): void {
  if (metric.gauge || metric.sum) {
    const sum = metric.sum;
    for (const p of (metric.gauge ?? sum)!.dataPoints) {
      out.push({
        ...base(metric, resource, p),
        type: sum ? 'sum' : 'gauge',
        temporality: temporalityOf(sum?.aggregationTemporality ?? 0),
        monotonic: sum?.isMonotonic ?? false,
        value: numberValue(p, `${path}.value`),
      });
    }
  } else if (metric.histogram) {
    for (const p of metric.histogram.dataPoints) {
      const counts = p.bucketCounts.map(longToNumber);
      checkExplicitBuckets(p.explicitBounds, counts, path);
      out.push({
        ...base(metric, resource, p),
        type: 'histogram',
        temporality: temporalityOf(metric.histogram.aggregationTemporality),
        count: longToNumber(p.count),
        sum: present(p, 'sum', p.sum),
        min: present(p, 'min', p.min),
        max: present(p, 'max', p.max),
        explicitBounds: p.explicitBounds,
        bucketCounts: counts,
      });
    }
  } else if (metric.exponentialHistogram) {
    for (const p of metric.exponentialHistogram.dataPoints) {
      const positive = {
        offset: p.positive?.offset ?? 0,
        counts: (p.positive?.bucketCounts ?? []).map(longToNumber),
      };
      const negative = {
        offset: p.negative?.offset ?? 0,
        counts: (p.negative?.bucketCounts ?? []).map(longToNumber),
      };
      checkExponential(p.scale, [...positive.counts, ...negative.counts], path);
      out.push({
        ...base(metric, resource, p),
        type: 'exponentialHistogram',
        temporality: temporalityOf(metric.exponentialHistogram.aggregationTemporality),
        count: longToNumber(p.count),
        sum: present(p, 'sum', p.sum),
        min: present(p, 'min', p.min),
        max: present(p, 'max', p.max),
        scale: p.scale,
        zeroCount: longToNumber(p.zeroCount),
        positive,
        negative,
      });
    }
  } else if (metric.summary) {
    for (const p of metric.summary.dataPoints) {
      out.push({
        ...base(metric, resource, p),
        type: 'summary',
        count: longToNumber(p.count),
        sum: finite(p.sum, `${path}.sum`),
        quantiles: p.quantileValues.map((q) => ({ quantile: q.quantile, value: q.value })),
      });
    }
  }
}

export function decodeMetricsProtobuf(body: Uint8Array): MetricPoint[] {
  let request: PbRequest;
  try {
    request = ExportMetricsServiceRequest.decode(body) as unknown as PbRequest;
  } catch (error) {
    throw new OtlpDecodeError(
      `body is not a protobuf ExportMetricsServiceRequest: ${(error as Error).message}`,
    );
  }
  const points: MetricPoint[] = [];
  request.resourceMetrics.forEach((rm, r) => {
    const resource = keyValues(rm.resource?.attributes ?? []);
    rm.scopeMetrics.forEach((sm, s) => {
      sm.metrics.forEach((metric, m) =>
        pushPoints(metric, resource, points, `resourceMetrics[${r}].scopeMetrics[${s}].metrics[${m}]`),
      );
    });
  });
  return points;
}
