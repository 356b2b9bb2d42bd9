/*
 * The MetricProducer path (signalboxMetricProducer): the same operations
 * recorded through the API Meter and through the local aggregation must
 * export the same metrics — names, units, descriptions, bucket boundaries,
 * attributes, counts, sums — so the dashboard's ingest cannot tell them apart.
 * This file registers a producer, which switches wrappers on the global
 * provider to local recording for the rest of this file's process.
 */
import { metrics as metricsApi, type Attributes } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  MeterProvider,
  MetricReader,
  type DataPoint,
  type Histogram,
  type MetricData,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';
import { afterAll, describe, expect, it } from 'vitest';
import { signalboxMetricProducer } from '../src/index.js';
import { beginProcess } from '../src/messaging/consume.js';
import { beginSend } from '../src/messaging/produce.js';
import { resolveRuntime, type MessagingRuntime } from '../src/messaging/runtime.js';
import { instrumentsFor } from '../src/metrics/instruments.js';
import { LocalCounter } from '../src/metrics/local-store.js';
import { localMetricsWired } from '../src/metrics/producer-state.js';
import { metricSeries } from '../src/metrics/series.js';
import { kafkaHeadersCarrier } from '../src/brokers/kafka/headers.js';
import { VERSION } from '../src/version.js';
import { setupMetrics } from './support/metrics.js';
import { setupTracing } from './support/tracing.js';

class PullReader extends MetricReader {
  constructor(producers: MetricProducer[] = []) {
    super({
      aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE,
      metricProducers: producers,
    });
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

const tracing = setupTracing();
// Through the API: a provider passed explicitly (never the global one).
const viaApi = setupMetrics();
// Locally aggregated: the global provider, whose reader holds the producer.
// Typed as the SDK's MetricProducer: the structural type must stay assignable.
const producer: MetricProducer = signalboxMetricProducer();
const localReader = new PullReader([producer]);
const globalProvider = new MeterProvider({ readers: [localReader] });
metricsApi.setGlobalMeterProvider(globalProvider);
afterAll(async () => {
  await Promise.all([viaApi.shutdown(), globalProvider.shutdown(), tracing.shutdown()]);
  metricsApi.disable();
});

const collectLocal = async (): Promise<MetricData[]> => {
  const { resourceMetrics, errors } = await localReader.collect();
  expect(errors).toEqual([]);
  return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
};

let clock = 1_800_000_000_000;
function runtimes(): { api: MessagingRuntime; local: MessagingRuntime } {
  const make = (meterProvider?: MeterProvider) =>
    Object.assign(
      Object.create(
        resolveRuntime({
          tracerProvider: tracing.provider,
          serviceName: 'checkout',
          ...(meterProvider && { meterProvider }),
        }),
      ) as MessagingRuntime,
      { now: () => clock },
    );
  return { api: make(viaApi.provider), local: make() };
}

/** One send, one process 1.25 s later with a redelivery, and one failed send. */
async function workload(rt: MessagingRuntime, destination: string): Promise<void> {
  const info = { system: 'kafka', destination };
  const headers: Record<string, string> = {};
  const sentAt = clock;
  beginSend(rt, info, [kafkaHeadersCarrier(headers)]).end();
  clock = sentAt + 1250;
  beginProcess(rt, { ...info, consumerGroup: 'billing' }, kafkaHeadersCarrier(headers), {
    redelivered: true,
  }).run(() => undefined);
  class BrokerDown extends Error {}
  await beginSend(rt, info, [kafkaHeadersCarrier({})])
    .run(() => Promise.reject(new BrokerDown('down')))
    .catch(() => undefined);
  clock = sentAt;
}

/** A metric's points for `destination`, keyed by sorted attributes, without timestamps. */
function pointsOf(metric: MetricData | undefined, destination: string) {
  if (!metric) return undefined;
  const mine = (metric.dataPoints as DataPoint<unknown>[]).filter(
    (point) => point.attributes['messaging.destination.name'] === destination,
  );
  return mine
    .map((point) => ({
      attributes: Object.fromEntries<Attributes[string]>(Object.entries(point.attributes).sort()),
      value:
        metric.dataPointType === DataPointType.HISTOGRAM
          ? (({ buckets, count }: Histogram) => ({ count, buckets }))(point.value as Histogram)
          : point.value,
    }))
    .sort((a, b) => JSON.stringify(a.attributes).localeCompare(JSON.stringify(b.attributes)));
}

describe('signalboxMetricProducer', () => {
  it('switches wrappers on the global provider to local recording', () => {
    expect(localMetricsWired()).toBe(true);
  });

  it('exports what the API path exports: names, units, types, attributes, buckets and counts', async () => {
    const { api, local } = runtimes();
    await workload(api, 'orders-compare');
    await workload(local, 'orders-compare');

    const fromApi = await viaApi.collect();
    const fromLocal = await collectLocal();
    const names = (list: MetricData[]) =>
      list
        .filter((m) => pointsOf(m, 'orders-compare')?.length)
        .map((m) => m.descriptor.name)
        .sort();
    expect(names(fromLocal)).toEqual(names(fromApi));
    expect(names(fromLocal)).toEqual(
      [
        'messaging.client.consumed.messages',
        'messaging.client.operation.duration',
        'messaging.client.sent.messages',
        'messaging.process.duration',
        'signalbox.messaging.edge.latency',
        'signalbox.messaging.pathway.latency',
        'signalbox.messaging.pathway.sent',
        'signalbox.messaging.redeliveries',
      ].sort(),
    );
    for (const name of names(fromApi)) {
      const a = fromApi.find((m) => m.descriptor.name === name)!;
      const l = fromLocal.find((m) => m.descriptor.name === name)!;
      expect({ name, unit: l.descriptor.unit, description: l.descriptor.description }).toEqual({
        name,
        unit: a.descriptor.unit,
        description: a.descriptor.description,
      });
      expect(l.dataPointType).toBe(a.dataPointType);
      expect(l.aggregationTemporality).toBe(a.aggregationTemporality);
      if (l.dataPointType === DataPointType.SUM) expect(l.isMonotonic).toBe(true);
      expect(pointsOf(l, 'orders-compare')).toEqual(pointsOf(a, 'orders-compare'));
    }
    // The clock-driven latency is exact on both paths: 1.25 s in the 2.5 s bucket.
    const edge = fromLocal.find((m) => m.descriptor.name === 'signalbox.messaging.edge.latency')!;
    const [point] = (edge.dataPoints as DataPoint<Histogram>[]).filter(
      (p) => p.attributes['messaging.destination.name'] === 'orders-compare',
    );
    expect(point?.value).toMatchObject({ count: 1, sum: 1.25, min: 1.25, max: 1.25 });
    expect(point?.startTime[0]).toBeGreaterThan(0);
  });

  it('puts values on bucket boundaries in the same buckets as the SDK (inclusive upper bounds)', async () => {
    const series = metricSeries({ 'messaging.system': 'kafka', 'messaging.destination.name': 'bounds' });
    const values = [0, 0.0005, 0.001, 0.0010001, 0.5, 1, 3600, 3601, -1, Number.NaN];
    const apiInstruments = instrumentsFor(viaApi.provider.getMeter('@signalbox/instrumentation', VERSION));
    const { local } = runtimes();
    for (const value of values) {
      apiInstruments.edgeLatency.record(value, series);
      local.instruments.edgeLatency.record(value, series);
    }
    const find = (list: MetricData[]) =>
      pointsOf(
        list.find((m) => m.descriptor.name === 'signalbox.messaging.edge.latency'),
        'bounds',
      );
    expect(find(await collectLocal())).toEqual(find(await viaApi.collect()));
    expect(find(await collectLocal())?.[0]?.value).toMatchObject({ count: 8 });
  });

  it('keeps recording through a provider passed explicitly, even with a producer registered', async () => {
    const own = setupMetrics();
    const rt = resolveRuntime({ tracerProvider: tracing.provider, meterProvider: own.provider });
    beginSend(rt, { system: 'kafka', destination: 'explicit' }, [kafkaHeadersCarrier({})]).end();
    expect(await own.points('messaging.client.sent.messages')).toHaveLength(1);
    const local = await collectLocal();
    expect(
      pointsOf(
        local.find((m) => m.descriptor.name === 'messaging.client.sent.messages'),
        'explicit',
      ),
    ).toEqual([]);
    await own.shutdown();
  });

  it('folds attribute sets past the cardinality limit into one overflow point', () => {
    const counter = new LocalCounter({ name: 'x', description: '', unit: '', kind: 'counter' });
    for (let i = 0; i < 2100; i++) counter.add(1, metricSeries({ id: i }));
    expect(counter.points.size).toBe(2001);
    const overflow = [...counter.points.values()].find((p) => p.attributes['otel.metric.overflow']);
    expect(overflow?.value).toBe(100);
  });
});
