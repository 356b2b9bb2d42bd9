import { ValueType, type Histogram, type Meter } from '@opentelemetry/api';
import { localCounter, type MessageCounter } from './local-counter.js';
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

/** Every metric instrument this package records, created once per Meter. */
export interface MessagingInstruments {
  /** `messaging.client.operation.duration` (s): send, receive and settle calls. */
  operationDuration: Histogram;
  /** `messaging.client.sent.messages`: per message, when the send completes. */
  sentMessages: MessageCounter;
  /** `messaging.client.consumed.messages`: once per delivery. */
  consumedMessages: MessageCounter;
  /** `messaging.process.duration` (s): the handler's time. */
  processDuration: Histogram;
  /** `signalbox.messaging.pathway.sent`: per message sent, keyed by pathway (PATHWAY.md). */
  pathwaySent: MessageCounter;
  /** `signalbox.messaging.edge.latency` (s): send → process start. */
  edgeLatency: Histogram;
  /** `signalbox.messaging.pathway.latency` (s): origin → process start. */
  pathwayLatency: Histogram;
  /** `signalbox.messaging.redeliveries`: deliveries the broker marks as redelivered. */
  redeliveries: MessageCounter;
  /** `signalbox.messaging.dead_letters`: messages our deadLetter helpers published. */
  deadLetters: MessageCounter;
}

const cache = new WeakMap<Meter, MessagingInstruments>();

/**
 * The instruments for `meter`. Cached per Meter: creating an instrument is not
 * free in the SDK, and a second registration under the same name logs a
 * duplicate-instrument warning.
 */
export function instrumentsFor(meter: Meter): MessagingInstruments {
  let instruments = cache.get(meter);
  if (!instruments) {
    instruments = createInstruments(meter);
    cache.set(meter, instruments);
  }
  return instruments;
}

function createInstruments(meter: Meter): MessagingInstruments {
  const seconds = (name: string, description: string, buckets: readonly number[]) =>
    meter.createHistogram(name, {
      description,
      unit: 's',
      valueType: ValueType.DOUBLE,
      advice: { explicitBucketBoundaries: [...buckets] },
    });
  const messages = (name: string, description: string) =>
    localCounter(meter, name, { description, unit: '{message}', valueType: ValueType.INT });
  return {
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
}
