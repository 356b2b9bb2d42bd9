import type { Bucket } from './histogram';

/**
 * What the rollups store: per minute and per series, message and error counts
 * and a latency histogram. Spans and metrics both reduce to these samples, so
 * every analytic reads one shape and can say where a number came from.
 *
 * Kinds (all latencies in seconds):
 * - `publish`: a service sending to a destination; latency = the send operation.
 * - `delivery`: a destination delivering to a consuming service (and group);
 *   latency = send → start of processing (queue wait + transport).
 * - `receive`: a destination delivering to a consumer that only reports `receive`
 *   spans (a poll per batch, no process spans); messages = the batch sizes,
 *   latency = send → start of the receive. Flows read it only for consumers
 *   without process spans, so the two never add up.
 * - `process`: the consumer's processing time.
 * - `pathway`: end to end, origin send → start of processing at this consumer.
 * - `sent` / `consumed`: message counters (semconv client metrics, pathway.sent).
 * - `redelivery` / `dead_letter`: Signalbox's counters (PATHWAY.md).
 */
export type SeriesKind =
  | 'publish'
  | 'delivery'
  | 'receive'
  | 'process'
  | 'pathway'
  | 'sent'
  | 'consumed'
  | 'redelivery'
  | 'dead_letter';

export type SeriesSource = 'spans' | 'metrics';

export interface SeriesDims {
  kind: SeriesKind;
  source: SeriesSource;
  /** The producing service for publish/sent; the consuming service otherwise. */
  service: string;
  system: string;
  destination: string;
  consumerGroup: string | null;
  pathwayHash: string | null;
  errorType: string | null;
}

export interface LatencySample {
  count: number;
  sum: number;
  min: number | null;
  max: number | null;
  buckets: Bucket[];
}

export interface SeriesSample {
  dims: SeriesDims;
  timeUs: number;
  messages: number;
  errors: number;
  latency: LatencySample | null;
}

/** A stable identity for a series' dimensions (used for the series dictionary). */
export function seriesKey(d: SeriesDims): string {
  return [
    d.kind,
    d.source,
    d.service,
    d.system,
    d.destination,
    d.consumerGroup ?? '',
    d.pathwayHash ?? '',
    d.errorType ?? '',
  ].join('\u0000');
}

/** A route segment learnt from pathway.sent (metrics) or send spans: hash → parent, edge. */
export interface PathwayEdge {
  hash: string;
  parentHash: string;
  service: string;
  system: string;
  destination: string;
  hops: number | null;
  seenUs: number;
}

/**
 * Messages, errors and latency summed over some series and time (latencies in
 * seconds): what a rollup row, a series' totals and several series combined
 * all carry.
 */
export interface SeriesAggregate {
  messages: number;
  errors: number;
  latencyCount: number;
  latencySum: number;
  latencyMin: number | null;
  latencyMax: number | null;
}

/** The aggregate of nothing: no messages, errors or latencies (min and max unknown). */
export const emptyAggregate = (): SeriesAggregate => ({
  messages: 0,
  errors: 0,
  latencyCount: 0,
  latencySum: 0,
  latencyMin: null,
  latencyMax: null,
});
