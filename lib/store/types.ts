import type { MessagingSpan } from '@/lib/ingest/messaging-span';

/** A half-open time window [fromUs, toUs) in microseconds since the epoch. */
export interface TimeWindow {
  fromUs: number;
  toUs: number;
}

/** Latency percentiles in milliseconds; null when there was nothing to measure. */
export interface Percentiles {
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

/** A service publishing to a destination: counts and send-span duration. */
export interface PublishEdgeRow extends Percentiles {
  service: string;
  system: string;
  destination: string;
  messages: number;
  errors: number;
}

/** A destination delivering to a consuming service: counts and send → process-start latency. */
export interface DeliveryEdgeRow extends Percentiles {
  system: string;
  destination: string;
  service: string;
  consumerGroup: string | null;
  messages: number;
  errors: number;
  /** How many deliveries could be joined to their send span (the latency sample size). */
  latencySamples: number;
}

export interface StoreStats {
  messagingSpans: number;
}

/**
 * Everything the dashboard needs from storage, kept narrow so another engine
 * (ClickHouse, for deployments past one machine) can implement it. Queries
 * are shaped by what the analytics need, not by SQL.
 */
export interface TelemetryStore {
  /** Resolves once the spans are durable: only then may ingest answer 2xx. */
  appendSpans(spans: readonly MessagingSpan[]): Promise<void>;
  publishEdges(window: TimeWindow): Promise<PublishEdgeRow[]>;
  deliveryEdges(window: TimeWindow): Promise<DeliveryEdgeRow[]>;
  stats(): Promise<StoreStats>;
  close(): Promise<void>;
}
