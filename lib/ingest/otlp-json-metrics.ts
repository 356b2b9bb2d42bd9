import { type ExponentialBuckets, type MetricPoint, temporalityOf } from '@/lib/model/metric';
import { type Attributes, OtlpDecodeError, checkedTimeUs } from '@/lib/model/telemetry';
import { checkExplicitBuckets, checkExponential } from './metric-point-checks';
import {
  type Json,
  array,
  double,
  enumValue,
  int64,
  keyValues,
  object,
  optionalDouble,
  string,
} from './otlp-json-values';

/**
 * Decodes an OTLP/HTTP JSON metrics export (readers in otlp-json-values.ts).
 * Every value is checked; a malformed body is rejected with the path of the
 * first problem, never half-stored.
 */

const TEMPORALITY = [
  'AGGREGATION_TEMPORALITY_UNSPECIFIED',
  'AGGREGATION_TEMPORALITY_DELTA',
  'AGGREGATION_TEMPORALITY_CUMULATIVE',
] as const;

interface MetricHead {
  metric: string;
  unit: string;
  resource: Attributes;
}

function base(head: MetricHead, p: Record<string, Json>, path: string) {
  return {
    ...head,
    attributes: keyValues(p.attributes, `${path}.attributes`),
    startTimeUs: checkedTimeUs(
      Math.round(int64(p.startTimeUnixNano, `${path}.startTimeUnixNano`) / 1000),
      `${path}.startTimeUnixNano`,
    ),
    timeUs: checkedTimeUs(
      Math.round(int64(p.timeUnixNano, `${path}.timeUnixNano`) / 1000),
      `${path}.timeUnixNano`,
    ),
  };
}

function counts(value: Json, path: string): number[] {
  return array(value, path).map((c, i) => int64(c, `${path}[${i}]`));
}

function buckets(value: Json, path: string): ExponentialBuckets {
  if (value === undefined || value === null) return { offset: 0, counts: [] };
  const b = object(value, path);
  return {
    offset: int64(b.offset, `${path}.offset`),
    counts: counts(b.bucketCounts, `${path}.bucketCounts`),
  };
}

function points(data: Record<string, Json>, path: string): Record<string, Json>[] {
  return array(data.dataPoints, `${path}.dataPoints`).map((p, i) => object(p, `${path}.dataPoints[${i}]`));
}

function numberPoints(head: MetricHead, data: Json, kind: 'sum' | 'gauge', path: string, out: MetricPoint[]) {
  const d = object(data, path);
  const temporality = temporalityOf(
    enumValue(d.aggregationTemporality, TEMPORALITY, `${path}.aggregationTemporality`),
  );
  points(d, path).forEach((p, i) => {
    const at = `${path}.dataPoints[${i}]`;
    out.push({
      ...base(head, p, at),
      type: kind,
      temporality: kind === 'sum' ? temporality : 'unspecified',
      monotonic: d.isMonotonic === true,
      value: p.asInt !== undefined ? int64(p.asInt, `${at}.asInt`) : double(p.asDouble, `${at}.asDouble`),
    });
  });
}

function histogramPoints(head: MetricHead, data: Json, path: string, out: MetricPoint[]) {
  const d = object(data, path);
  const temporality = temporalityOf(
    enumValue(d.aggregationTemporality, TEMPORALITY, `${path}.aggregationTemporality`),
  );
  points(d, path).forEach((p, i) => {
    const at = `${path}.dataPoints[${i}]`;
    const bounds = array(p.explicitBounds, `${at}.explicitBounds`).map((b, j) =>
      double(b, `${at}.explicitBounds[${j}]`),
    );
    const bucketCounts = counts(p.bucketCounts, `${at}.bucketCounts`);
    checkExplicitBuckets(bounds, bucketCounts, at);
    out.push({
      ...base(head, p, at),
      type: 'histogram',
      temporality,
      count: int64(p.count, `${at}.count`),
      sum: optionalDouble(p.sum, `${at}.sum`),
      min: optionalDouble(p.min, `${at}.min`),
      max: optionalDouble(p.max, `${at}.max`),
      explicitBounds: bounds,
      bucketCounts,
    });
  });
}

function exponentialPoints(head: MetricHead, data: Json, path: string, out: MetricPoint[]) {
  const d = object(data, path);
  const temporality = temporalityOf(
    enumValue(d.aggregationTemporality, TEMPORALITY, `${path}.aggregationTemporality`),
  );
  points(d, path).forEach((p, i) => {
    const at = `${path}.dataPoints[${i}]`;
    const positive = buckets(p.positive, `${at}.positive`);
    const negative = buckets(p.negative, `${at}.negative`);
    const scale = int64(p.scale, `${at}.scale`);
    checkExponential(scale, [...positive.counts, ...negative.counts], at);
    out.push({
      ...base(head, p, at),
      type: 'exponentialHistogram',
      temporality,
      count: int64(p.count, `${at}.count`),
      sum: optionalDouble(p.sum, `${at}.sum`),
      min: optionalDouble(p.min, `${at}.min`),
      max: optionalDouble(p.max, `${at}.max`),
      scale,
      zeroCount: int64(p.zeroCount, `${at}.zeroCount`),
      positive,
      negative,
    });
  });
}

function summaryPoints(head: MetricHead, data: Json, path: string, out: MetricPoint[]) {
  points(object(data, path), path).forEach((p, i) => {
    const at = `${path}.dataPoints[${i}]`;
    out.push({
      ...base(head, p, at),
      type: 'summary',
      count: int64(p.count, `${at}.count`),
      sum: double(p.sum, `${at}.sum`),
      quantiles: array(p.quantileValues, `${at}.quantileValues`).map((q, j) => {
        const v = object(q, `${at}.quantileValues[${j}]`);
        return {
          quantile: double(v.quantile, `${at}.quantileValues[${j}].quantile`),
          value: double(v.value, `${at}.quantileValues[${j}].value`),
        };
      }),
    });
  });
}

function metric(value: Json, resource: Attributes, path: string, out: MetricPoint[]): void {
  const m = object(value, path);
  const head = { metric: string(m.name, `${path}.name`), unit: string(m.unit, `${path}.unit`), resource };
  if (m.sum !== undefined) numberPoints(head, m.sum, 'sum', `${path}.sum`, out);
  else if (m.gauge !== undefined) numberPoints(head, m.gauge, 'gauge', `${path}.gauge`, out);
  else if (m.histogram !== undefined) histogramPoints(head, m.histogram, `${path}.histogram`, out);
  else if (m.exponentialHistogram !== undefined)
    exponentialPoints(head, m.exponentialHistogram, `${path}.exponentialHistogram`, out);
  else if (m.summary !== undefined) summaryPoints(head, m.summary, `${path}.summary`, out);
}

export function decodeMetricsJson(text: string): MetricPoint[] {
  let body: Json;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new OtlpDecodeError(`body is not valid JSON: ${(error as Error).message}`);
  }
  const out: MetricPoint[] = [];
  array(object(body, 'body').resourceMetrics, 'resourceMetrics').forEach((rmValue, r) => {
    const rm = object(rmValue, `resourceMetrics[${r}]`);
    const resourceObject =
      rm.resource === undefined ? {} : object(rm.resource, `resourceMetrics[${r}].resource`);
    const resource = keyValues(resourceObject.attributes, `resourceMetrics[${r}].resource.attributes`);
    array(rm.scopeMetrics, `resourceMetrics[${r}].scopeMetrics`).forEach((smValue, s) => {
      const path = `resourceMetrics[${r}].scopeMetrics[${s}]`;
      array(object(smValue, path).metrics, `${path}.metrics`).forEach((mv, i) =>
        metric(mv, resource, `${path}.metrics[${i}]`, out),
      );
    });
  });
  return out;
}
