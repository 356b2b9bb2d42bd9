import { type Bucket, ROLLUP_SCALE, exponentialBounds } from './histogram';
import { integer, text } from './attribute-readers';
import { downscale } from './cumulative-to-delta';
import {
  type ExponentialHistogramPoint,
  type HistogramPoint,
  type MetricPoint,
  isNumberPoint,
} from './metric';
import { natsDestination } from './jetstream-destination';
import { PATHWAY_ATTRIBUTES } from './pathway-attributes';
import type { PathwayEdge, SeriesDims, SeriesKind, SeriesSample } from './series';

/**
 * Which metrics Signalbox keeps, and how each becomes a series sample. Kept:
 * every `signalbox.messaging.*` metric (instrumentation/PATHWAY.md) and the
 * messaging semconv metrics, current (1.27+) and older (1.24–1.26) names.
 * Everything else is accepted and not stored, like non-messaging spans.
 */
interface Rule {
  kind: SeriesKind;
  types: MetricPoint['type'][];
  /** For messaging.client.operation.duration: only this operation type counts. */
  operation?: string[];
}

const COUNTER: MetricPoint['type'][] = ['sum'];
const HISTOGRAM: MetricPoint['type'][] = ['histogram', 'exponentialHistogram', 'summary'];

const RULES: Record<string, Rule> = {
  'signalbox.messaging.pathway.sent': { kind: 'sent', types: COUNTER },
  'signalbox.messaging.edge.latency': { kind: 'delivery', types: HISTOGRAM },
  'signalbox.messaging.pathway.latency': { kind: 'pathway', types: HISTOGRAM },
  'signalbox.messaging.redeliveries': { kind: 'redelivery', types: COUNTER },
  'signalbox.messaging.dead_letters': { kind: 'dead_letter', types: COUNTER },
  'messaging.client.sent.messages': { kind: 'sent', types: COUNTER },
  'messaging.publish.messages': { kind: 'sent', types: COUNTER },
  'messaging.client.consumed.messages': { kind: 'consumed', types: COUNTER },
  'messaging.receive.messages': { kind: 'consumed', types: COUNTER },
  'messaging.process.duration': { kind: 'process', types: HISTOGRAM },
  'messaging.client.operation.duration': {
    kind: 'publish',
    types: HISTOGRAM,
    operation: ['send', 'publish'],
  },
  'messaging.publish.duration': { kind: 'publish', types: HISTOGRAM },
};

/** Seconds per unit of a duration metric (UCUM codes, plus the spelled-out forms some SDKs use). */
const UNIT_SECONDS: Record<string, number> = {
  '': 1,
  s: 1,
  sec: 1,
  seconds: 1,
  ms: 1e-3,
  milliseconds: 1e-3,
  us: 1e-6,
  µs: 1e-6,
  microseconds: 1e-6,
  ns: 1e-9,
  nanoseconds: 1e-9,
};

/** The series a point belongs to, or null when Signalbox does not keep it. */
export function classifyMetric(point: MetricPoint): SeriesDims | null {
  const rule = RULES[point.metric];
  if (!rule || !rule.types.includes(point.type)) return null;
  const a = point.attributes;
  if (
    rule.operation &&
    !rule.operation.includes(text(a, 'messaging.operation.type', 'messaging.operation') ?? '')
  )
    return null;
  if (rule.types === HISTOGRAM && UNIT_SECONDS[point.unit] === undefined) return null;
  const system = text(a, 'messaging.system');
  const named = text(a, 'messaging.destination.name', 'messaging.destination');
  const destination = system === 'nats' ? natsDestination(named, a) : named;
  if (system === null || destination === null) return null;
  return {
    kind: rule.kind,
    source: 'metrics',
    service: text(point.resource, 'service.name') ?? 'unknown_service',
    system,
    destination,
    consumerGroup: text(a, 'messaging.consumer.group.name', 'messaging.kafka.consumer.group'),
    pathwayHash: text(a, PATHWAY_ATTRIBUTES.hash),
    errorType: text(a, 'error.type'),
  };
}

function explicitBuckets(point: HistogramPoint, unit: number): Bucket[] {
  const bounds = point.explicitBounds;
  return point.bucketCounts.map((count, i) => ({
    // Latencies are never negative: an open first bucket starts at 0 when its bound is positive.
    lower: i === 0 ? (bounds[0]! > 0 ? 0 : -Infinity) : bounds[i - 1]! * unit,
    upper: i < bounds.length ? bounds[i]! * unit : Infinity,
    count,
  }));
}

function exponentialBuckets(point: ExponentialHistogramPoint, unit: number): Bucket[] {
  // Finer scales reduce exactly onto the rollup grid, so they merge with span latencies.
  const scale = Math.min(point.scale, ROLLUP_SCALE);
  const positive = downscale(point.positive, point.scale - scale);
  const out: Bucket[] = [];
  positive.counts.forEach((count, i) => {
    if (count === 0) return;
    const { lower, upper } = exponentialBounds(positive.offset + i, scale);
    out.push({ lower: lower * unit, upper: upper * unit, count });
  });
  // Negative latencies can only be clock skew; they join the zero bucket.
  const zero = point.zeroCount + point.negative.counts.reduce((s, c) => s + c, 0);
  if (zero > 0) out.push({ lower: 0, upper: 0, count: zero });
  return out;
}

/** A (delta) point as a series sample; counters count messages, histograms count and time them. */
export function toSeriesSample(point: MetricPoint, dims: SeriesDims): SeriesSample | null {
  const errorsToo = (n: number) => (dims.errorType !== null && dims.kind !== 'dead_letter' ? n : 0);
  if (isNumberPoint(point)) {
    if (point.value <= 0) return null;
    return {
      dims,
      timeUs: point.timeUs,
      messages: point.value,
      errors: errorsToo(point.value),
      latency: null,
    };
  }
  if (point.count <= 0) return null;
  const unit = UNIT_SECONDS[point.unit] ?? 1;
  const latency =
    point.type === 'summary'
      ? { count: point.count, sum: point.sum * unit, min: null, max: null, buckets: [] }
      : {
          count: point.count,
          sum: (point.sum ?? 0) * unit,
          min: point.min === null ? null : point.min * unit,
          max: point.max === null ? null : point.max * unit,
          buckets:
            point.type === 'histogram' ? explicitBuckets(point, unit) : exponentialBuckets(point, unit),
        };
  return { dims, timeUs: point.timeUs, messages: point.count, errors: errorsToo(point.count), latency };
}

const hopsOf = (n: number | null) => (n !== null && n >= 1 && n <= 1000 ? n : null);

/** Route knowledge carried by pathway metrics: pathway.sent names the parent, pathway.latency the hops. */
export function pathwayEdgeOf(point: MetricPoint, dims: SeriesDims): PathwayEdge | null {
  if (dims.pathwayHash === null) return null;
  const parent = point.attributes[PATHWAY_ATTRIBUTES.parentHash];
  const isSent = point.metric === 'signalbox.messaging.pathway.sent';
  if (!isSent && point.metric !== 'signalbox.messaging.pathway.latency') return null;
  return {
    hash: dims.pathwayHash,
    parentHash: isSent && typeof parent === 'string' ? parent : '',
    // pathway.latency is recorded by the consumer: its service is not the edge's producer.
    service: isSent ? dims.service : '',
    system: dims.system,
    destination: dims.destination,
    hops: hopsOf(integer(point.attributes, PATHWAY_ATTRIBUTES.hops)),
    seenUs: point.timeUs,
  };
}
