import { metrics, ValueType, type Histogram, type Meter, type MeterProvider } from '@opentelemetry/api';
import { INSTRUMENTATION_NAME } from '../options.js';
import {
  MESSAGING_DURATION_BUCKETS,
  METRIC_DEAD_LETTERS,
  METRIC_EDGE_LATENCY,
  METRIC_MESSAGING_CLIENT_CONSUMED_MESSAGES,
  METRIC_MESSAGING_CLIENT_OPERATION_DURATION,
  METRIC_MESSAGING_CLIENT_SENT_MESSAGES,
  METRIC_MESSAGING_PROCESS_DURATION,
  METRIC_PATHWAY_LATENCY,
  METRIC_PATHWAY_SENT,
  METRIC_REDELIVERIES,
  PATHWAY_LATENCY_BUCKETS,
} from '../semconv.js';
import { VERSION } from '../version.js';
import { localCounter } from './local-counter.js';
import { LocalCounter, LocalHistogram, type LocalMetricDescriptor } from './local-store.js';
import { localMetricsWired } from './producer-state.js';
import type { MetricSeries, SeriesCounter } from './series.js';

export type { SeriesCounter };

/** A histogram recording into a precomputed attribute set. */
export interface SeriesHistogram {
  record(value: number, series: MetricSeries): void;
}

/** Every metric instrument this package records. */
export interface MessagingInstruments {
  /** `messaging.client.operation.duration` (s): send, receive and settle calls. */
  operationDuration: SeriesHistogram;
  /** `messaging.client.sent.messages`: per message, when the send completes. */
  sentMessages: SeriesCounter;
  /** `messaging.client.consumed.messages`: once per delivery. */
  consumedMessages: SeriesCounter;
  /** `messaging.process.duration` (s): the handler's time. */
  processDuration: SeriesHistogram;
  /** `signalbox.messaging.pathway.sent`: per message sent, keyed by pathway (PATHWAY.md). */
  pathwaySent: SeriesCounter;
  /** `signalbox.messaging.edge.latency` (s): send → process start. */
  edgeLatency: SeriesHistogram;
  /** `signalbox.messaging.pathway.latency` (s): origin → process start. */
  pathwayLatency: SeriesHistogram;
  /** `signalbox.messaging.redeliveries`: deliveries the broker marks as redelivered. */
  redeliveries: SeriesCounter;
  /** `signalbox.messaging.dead_letters`: messages our deadLetter helpers published. */
  deadLetters: SeriesCounter;
}

const seconds = (
  name: string,
  description: string,
  boundaries: readonly number[],
): LocalMetricDescriptor => ({
  name,
  description,
  unit: 's',
  kind: 'histogram',
  boundaries,
});
const messages = (name: string, description: string): LocalMetricDescriptor => ({
  name,
  description,
  unit: '{message}',
  kind: 'counter',
});

/** Names, units, descriptions and buckets: one table for both ways of recording. */
export const METRIC_DESCRIPTORS: { readonly [K in keyof MessagingInstruments]: LocalMetricDescriptor } = {
  operationDuration: seconds(
    METRIC_MESSAGING_CLIENT_OPERATION_DURATION,
    'Duration of messaging operation initiated by a producer or consumer client.',
    MESSAGING_DURATION_BUCKETS,
  ),
  sentMessages: messages(
    METRIC_MESSAGING_CLIENT_SENT_MESSAGES,
    'Number of messages producer attempted to send to the broker.',
  ),
  consumedMessages: messages(
    METRIC_MESSAGING_CLIENT_CONSUMED_MESSAGES,
    'Number of messages that were delivered to the application.',
  ),
  processDuration: seconds(
    METRIC_MESSAGING_PROCESS_DURATION,
    'Duration of processing operation.',
    MESSAGING_DURATION_BUCKETS,
  ),
  pathwaySent: messages(METRIC_PATHWAY_SENT, 'Messages sent, per pathway (route origin → destination).'),
  edgeLatency: seconds(
    METRIC_EDGE_LATENCY,
    'Time from the send of this edge to the start of processing.',
    PATHWAY_LATENCY_BUCKETS,
  ),
  pathwayLatency: seconds(
    METRIC_PATHWAY_LATENCY,
    'Time from the origin of the pathway to the start of processing.',
    PATHWAY_LATENCY_BUCKETS,
  ),
  redeliveries: messages(METRIC_REDELIVERIES, 'Deliveries the broker marked as redelivered.'),
  deadLetters: messages(METRIC_DEAD_LETTERS, 'Messages published to a dead-letter destination.'),
};

type InstrumentName = keyof MessagingInstruments;
const INSTRUMENT_NAMES = Object.keys(METRIC_DESCRIPTORS) as InstrumentName[];

function apiHistogram(meter: Meter, descriptor: LocalMetricDescriptor): SeriesHistogram {
  const histogram: Histogram = meter.createHistogram(descriptor.name, {
    description: descriptor.description,
    unit: descriptor.unit,
    valueType: ValueType.DOUBLE,
    advice: { explicitBucketBoundaries: [...(descriptor.boundaries ?? [])] },
  });
  return { record: (value, series) => histogram.record(value, series.attributes) };
}

function createApiInstruments(meter: Meter): MessagingInstruments {
  const instruments: Partial<Record<InstrumentName, SeriesHistogram | SeriesCounter>> = {};
  for (const name of INSTRUMENT_NAMES) {
    const descriptor = METRIC_DESCRIPTORS[name];
    instruments[name] =
      descriptor.kind === 'histogram'
        ? apiHistogram(meter, descriptor)
        : localCounter(meter, descriptor.name, {
            description: descriptor.description,
            unit: descriptor.unit,
            valueType: ValueType.INT,
          });
  }
  return instruments as MessagingInstruments;
}

const byMeter = new WeakMap<Meter, MessagingInstruments>();

/**
 * The instruments for `meter`, recording through the `@opentelemetry/api`
 * Meter. Cached per Meter: creating an instrument is not free in the SDK,
 * and a second registration under the same name logs a duplicate-instrument warning.
 */
export function instrumentsFor(meter: Meter): MessagingInstruments {
  let instruments = byMeter.get(meter);
  if (!instruments) {
    instruments = createApiInstruments(meter);
    byMeter.set(meter, instruments);
  }
  return instruments;
}

/** The process-wide local instruments the MetricProducer exports (./producer.ts). */
export const LOCAL_INSTRUMENTS: {
  readonly [K in InstrumentName]: LocalHistogram | LocalCounter;
} = Object.fromEntries(
  INSTRUMENT_NAMES.map((name) => {
    const descriptor = METRIC_DESCRIPTORS[name];
    return [
      name,
      descriptor.kind === 'histogram' ? new LocalHistogram(descriptor) : new LocalCounter(descriptor),
    ];
  }),
) as { readonly [K in InstrumentName]: LocalHistogram | LocalCounter };

/**
 * Where this package's metrics go for `provider`: into the local
 * aggregation when a Signalbox MetricProducer is registered and `provider` is
 * the global MeterProvider (the reader holding the producer exports them),
 * else through the API Meter of `provider`.
 */
export function instrumentsForProvider(provider: MeterProvider): MessagingInstruments {
  if (localMetricsWired() && provider === metrics.getMeterProvider()) {
    return LOCAL_INSTRUMENTS as unknown as MessagingInstruments;
  }
  return instrumentsFor(provider.getMeter(INSTRUMENTATION_NAME, VERSION));
}
