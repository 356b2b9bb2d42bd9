import type { Attributes } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  MeterProvider,
  MetricReader,
  type DataPoint,
  type Histogram,
  type MetricData,
} from '@opentelemetry/sdk-metrics';

/** A pull reader: tests call collect() when they want to look. */
class TestMetricReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

export interface MetricPoint {
  attributes: Attributes;
  /** Counter sum, or histogram count. */
  value: number;
  /** Histogram only. */
  histogram?: Histogram;
}

/** A real SDK MeterProvider whose recorded metrics tests can read back. */
export function setupMetrics() {
  const reader = new TestMetricReader();
  const provider = new MeterProvider({ readers: [reader] });
  const collect = async (): Promise<MetricData[]> => {
    const { resourceMetrics, errors } = await reader.collect();
    if (errors.length > 0) throw new Error(`metric collection failed: ${String(errors[0])}`);
    return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
  };
  return {
    provider,
    collect,
    /** The metric named `name`, or undefined when nothing was recorded. */
    metric: async (name: string) => (await collect()).find((m) => m.descriptor.name === name),
    /** Every point of `name` (counter sums, histogram counts). */
    points: async (name: string): Promise<MetricPoint[]> => {
      const found = (await collect()).find((m) => m.descriptor.name === name);
      if (!found) return [];
      return (found.dataPoints as DataPoint<unknown>[]).map((point) => {
        if (found.dataPointType === DataPointType.HISTOGRAM) {
          const histogram = point.value as Histogram;
          return { attributes: point.attributes, value: histogram.count, histogram };
        }
        return { attributes: point.attributes, value: point.value as number };
      });
    },
    shutdown: () => provider.shutdown(),
  };
}
