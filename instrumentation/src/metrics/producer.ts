/*
 * `signalboxMetricProducer()`: an OpenTelemetry SDK MetricProducer
 * (`metricProducers` option of a MetricReader, @opentelemetry/sdk-metrics
 * ≥ 1.x) that exports this package's metrics from the local aggregation in
 * ./local-store.ts. With it, recording a message's metrics costs a Map lookup
 * and a bucket increment instead of the SDK's attribute hashing per call.
 *
 * The package depends only on @opentelemetry/api, so the SDK's data types are
 * mirrored structurally here (numeric enum values of sdk-metrics:
 * AggregationTemporality.CUMULATIVE = 1, DataPointType.HISTOGRAM = 0 and
 * SUM = 3; a unit test checks them against the SDK).
 */
import { ValueType, type Attributes } from '@opentelemetry/api';
import { INSTRUMENTATION_NAME } from '../options.js';
import { VERSION } from '../version.js';
import { LOCAL_INSTRUMENTS } from './instruments.js';
import { LocalHistogram, type LocalCounter } from './local-store.js';
import { markLocalMetricsWired } from './producer-state.js';

const CUMULATIVE = 1 as const;
const HISTOGRAM_POINT = 0 as const;
const SUM_POINT = 3 as const;

type HrTime = [number, number];

interface ExportedPoint<T> {
  startTime: HrTime;
  endTime: HrTime;
  attributes: Attributes;
  value: T;
}

interface ExportedHistogram {
  buckets: { boundaries: number[]; counts: number[] };
  sum: number;
  count: number;
  min: number;
  max: number;
}

/** The shape of sdk-metrics' MetricData for the two kinds we export. */
export type ExportedMetric = {
  descriptor: { name: string; description: string; unit: string; valueType: ValueType };
  aggregationTemporality: typeof CUMULATIVE;
} & (
  | { dataPointType: typeof HISTOGRAM_POINT; dataPoints: ExportedPoint<ExportedHistogram>[] }
  | { dataPointType: typeof SUM_POINT; isMonotonic: true; dataPoints: ExportedPoint<number>[] }
);

/** Structurally an sdk-metrics `MetricProducer`. */
export interface SignalboxMetricProducer {
  collect(options?: { timeoutMillis?: number }): Promise<{
    resourceMetrics: {
      // The reader replaces it with its SDK's Resource; `never` keeps this
      // type assignable to sdk-metrics' MetricProducer without importing it.
      resource: never;
      scopeMetrics: { scope: { name: string; version: string }; metrics: ExportedMetric[] }[];
    };
    errors: unknown[];
  }>;
}

const hrTime = (ms: number): HrTime => {
  const secondsPart = Math.floor(ms / 1000);
  return [secondsPart, Math.round((ms - secondsPart * 1000) * 1e6)];
};

function exportHistogram(histogram: LocalHistogram, end: HrTime): ExportedMetric | undefined {
  if (histogram.points.size === 0) return undefined;
  const { descriptor } = histogram;
  const boundaries = [...(descriptor.boundaries ?? [])];
  const dataPoints: ExportedPoint<ExportedHistogram>[] = [];
  for (const point of histogram.points.values()) {
    dataPoints.push({
      startTime: hrTime(point.startMs),
      endTime: end,
      attributes: point.attributes,
      value: {
        buckets: { boundaries, counts: [...point.counts] },
        sum: point.sum,
        count: point.count,
        min: point.min,
        max: point.max,
      },
    });
  }
  return {
    descriptor: {
      name: descriptor.name,
      description: descriptor.description,
      unit: descriptor.unit,
      valueType: ValueType.DOUBLE,
    },
    aggregationTemporality: CUMULATIVE,
    dataPointType: HISTOGRAM_POINT,
    dataPoints,
  };
}

function exportCounter(counter: LocalCounter, end: HrTime): ExportedMetric | undefined {
  if (counter.points.size === 0) return undefined;
  const { descriptor } = counter;
  const dataPoints: ExportedPoint<number>[] = [];
  for (const point of counter.points.values()) {
    dataPoints.push({
      startTime: hrTime(point.startMs),
      endTime: end,
      attributes: point.attributes,
      value: point.value,
    });
  }
  return {
    descriptor: {
      name: descriptor.name,
      description: descriptor.description,
      unit: descriptor.unit,
      valueType: ValueType.INT,
    },
    aggregationTemporality: CUMULATIVE,
    dataPointType: SUM_POINT,
    isMonotonic: true,
    dataPoints,
  };
}

/** This package's locally aggregated metrics, as sdk-metrics MetricData (cumulative). */
export function collectLocalMetrics(nowMs: number = Date.now()): ExportedMetric[] {
  const end = hrTime(nowMs);
  const exported: ExportedMetric[] = [];
  for (const instrument of Object.values(LOCAL_INSTRUMENTS)) {
    const metric =
      instrument instanceof LocalHistogram
        ? exportHistogram(instrument, end)
        : exportCounter(instrument, end);
    if (metric) exported.push(metric);
  }
  return exported;
}

/**
 * A MetricProducer for your SDK's MetricReader, so this package's metrics are
 * aggregated in-process and handed to the SDK at collection (cumulative
 * temporality) instead of being recorded through the API one call at a time:
 *
 * ```ts
 * new PeriodicExportingMetricReader({ exporter, metricProducers: [signalboxMetricProducer()] })
 * ```
 *
 * `register()` does this for you. Create it before the first message is
 * sent or handled, and register it on the reader of the global
 * MeterProvider: wrappers on the global provider then record locally (those
 * given their own `meterProvider` keep recording through it). Names, units,
 * buckets and attributes are those of the README's Metrics table; SDK Views
 * do not apply to them. Several producers share the same data, so every
 * reader that holds one exports the same totals.
 */
export function signalboxMetricProducer(): SignalboxMetricProducer {
  markLocalMetricsWired();
  return {
    collect() {
      try {
        const metrics = collectLocalMetrics();
        return Promise.resolve({
          resourceMetrics: {
            // The MetricReader keeps its SDK's resource and reads only scopeMetrics.
            resource: undefined as never,
            scopeMetrics:
              metrics.length > 0
                ? [{ scope: { name: INSTRUMENTATION_NAME, version: VERSION }, metrics }]
                : [],
          },
          errors: [],
        });
      } catch (err) {
        return Promise.resolve({
          resourceMetrics: { resource: undefined as never, scopeMetrics: [] },
          errors: [err],
        });
      }
    },
  };
}
