import type { Bucket } from '@/lib/model/histogram';
import type { MessagingSpan } from '@/lib/model/span';
import type { MetricPoint } from '@/lib/model/metric';
import type { PathwayEdge, SeriesAggregate, SeriesDims, SeriesKind } from '@/lib/model/series';
import type { LiveSeriesTotals } from './live-counters';

export type { PathwayEdge, SeriesDims, SeriesKind };

/** A half-open time window [fromUs, toUs) in microseconds since the epoch. */
export interface TimeWindow {
  fromUs: number;
  toUs: number;
}

/** One rollup series summed over a window (latencies in seconds). */
export interface SeriesTotals extends SeriesAggregate {
  seriesId: number;
  dims: SeriesDims;
  buckets: Bucket[];
}

/** One series in one time step of a timeline. */
export interface SeriesStep extends Omit<SeriesTotals, 'dims'> {
  stepStartUs: number;
}

export interface SeriesFilter {
  kinds?: readonly SeriesKind[];
  seriesIds?: readonly number[];
}

/**
 * A raw span as stored (shape joined back), for journeys and anomaly examples:
 * the span as ingested, less what the store keeps elsewhere (the pathway goes
 * into the series, the batch size into the counts), its start named `startUs`
 * and its operation type read back as text.
 */
export interface StoredSpan extends Omit<
  MessagingSpan,
  'startTimeUs' | 'operationType' | 'batchMessageCount' | 'pathway'
> {
  startUs: number;
  operationType: string | null;
}

/** One round of a journey's lookups (see TelemetryStore.journeySpans). */
export interface JourneyLookup {
  /** Traces to load whole; `sinceUs`, a pruning hint: only spans starting at or after it are needed. */
  traces: readonly { traceId: string; sinceUs?: number }[];
  /** Traces whose linking spans (spans of any trace with a link into one of them) to find. */
  linkedTraces: readonly string[];
  /** Only linking spans starting at or after this are needed (a pruning hint, like `sinceUs`). */
  linkedSinceUs?: number;
}

export interface JourneySpans {
  /** Spans of the lookup's traces, at most `limit`, the earliest. */
  own: StoredSpan[];
  /** Spans linking into the linked traces, at most `limit`, the earliest. */
  linking: StoredSpan[];
}

export interface StoredLink {
  traceId: string;
  spanId: string;
  linkedTraceId: string;
  linkedSpanId: string;
}

/** A message's measured delivery (process span joined to its send). */
export interface DeliveryRow {
  seriesId: number;
  traceId: string;
  spanId: string;
  messageId: string | null;
  startUs: number;
  latencyUs: number;
}

/** A process span as the anomaly detectors see it. */
export interface ProcessRow {
  traceId: string;
  spanId: string;
  service: string;
  consumerGroup: string | null;
  system: string;
  destination: string;
  startUs: number;
  messageId: string | null;
  partition: string | null;
  offset: number | null;
  routingKey: string | null;
  deliveryAttempt: number | null;
  /** When the message was sent, if the delivery was joined to its send. */
  sentUs: number | null;
  /** The processing failed: its span has an error status, or it dead-lettered the message. */
  failed: boolean;
  /** error.type of a failed processing, and the span's status message. */
  errorType: string | null;
  statusMessage: string | null;
  durationUs: number;
}

/** A trace's messaging route, for end-to-end latency when no pathway data exists. */
export interface TraceRouteRow {
  /** The trace's sends in time order: who sent to which destination. */
  route: { service: string; system: string; destination: string }[];
  consumer: string;
  e2eUs: number;
  endUs: number;
}

export interface StoreStats {
  messagingSpans: number;
  /** Rows accepted by ingest and not yet committed. */
  queuedRows: number;
  /** Deliveries waiting for their send span. */
  pendingDeliveries: number;
  /** Bytes the database uses (DuckDB's own figure, without the WAL). */
  databaseBytes: number;
}

export interface LiveTotals extends LiveSeriesTotals {
  dims: SeriesDims;
}

/**
 * Everything the dashboard needs from storage, kept narrow so another engine
 * (ClickHouse, for deployments past one machine) can implement it. Queries
 * are shaped by what the analytics need, not by SQL.
 */
export interface TelemetryStore {
  readonly engine: string;
  /** Resolves once the spans are durable: only then may ingest answer 2xx. Rejects with QueueFullError when full. */
  appendSpans(spans: readonly MessagingSpan[]): Promise<void>;
  /** Resolves once the kept points are durable; `kept` = points Signalbox stores. */
  appendMetrics(points: readonly MetricPoint[]): Promise<{ kept: number }>;

  /** Rollup series summed over the window (one-minute resolution: the window is widened to whole minutes). */
  seriesTotals(window: TimeWindow, filter?: SeriesFilter): Promise<SeriesTotals[]>;
  /** Rollup series per time step (step ≥ 60 s). */
  seriesTimeline(window: TimeWindow, stepUs: number, seriesIds: readonly number[]): Promise<SeriesStep[]>;
  /** Route segments learnt from pathway metrics and send spans. */
  pathways(): Promise<PathwayEdge[]>;

  /** The slowest measured deliveries of these series in the window. */
  slowestDeliveries(window: TimeWindow, seriesIds: readonly number[], limit: number): Promise<DeliveryRow[]>;
  /** The slowest send spans of a publish edge in the window. */
  slowestSends(
    window: TimeWindow,
    edge: { service: string; system: string; destination: string },
    limit: number,
  ): Promise<StoredSpan[]>;
  /** Spans by trace, message or conversation id (any number of each), at most `limit`. */
  findSpans(
    ids: { traceIds?: string[]; messageIds?: string[]; conversationIds?: string[] },
    limit: number,
  ): Promise<StoredSpan[]>;
  /**
   * A journey round: the spans of some traces and the spans linking into
   * others, together (one pass over each lookup key instead of one per question).
   */
  journeySpans(lookup: JourneyLookup, limit: number): Promise<JourneySpans>;
  /** Process spans in the window, for the anomaly detectors (at most `limit`, newest first). */
  processSpans(window: TimeWindow, limit: number): Promise<ProcessRow[]>;
  /** Messaging routes of traces in the window (send … process), at most `limit` traces. */
  traceRoutes(window: TimeWindow, limit: number): Promise<TraceRouteRow[]>;
  /** DLQs Signalbox's dead-letter helpers wrote to in the window (from the newest `limit` dead-letter spans). */
  deadLetterTargets(window: TimeWindow, limit: number): Promise<{ system: string; name: string }[]>;

  /** Counters since this process started, for Prometheus. */
  liveTotals(): Promise<LiveTotals[]>;
  stats(): Promise<StoreStats>;
  close(): Promise<void>;
}
