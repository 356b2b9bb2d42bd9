import type { SpanPathway } from './pathway-attributes';
import type { SpanLink } from './telemetry';

/**
 * A span that is part of a message's life (create, send, receive, process,
 * settle), reduced to the fields Signalbox queries. The full attribute set is
 * kept as JSON for the journey view.
 */
export interface MessagingSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  service: string;
  name: string;
  kind: number;
  startTimeUs: number;
  durationUs: number;
  statusCode: number;
  statusMessage: string | null;
  errorType: string | null;
  system: string;
  operationType: OperationType | null;
  operationName: string | null;
  destination: string | null;
  consumerGroup: string | null;
  messageId: string | null;
  conversationId: string | null;
  /** messaging.batch.message_count: how many messages a batch send carried. */
  batchMessageCount: number | null;
  /** Partition (Kafka) the message was on, when reported. */
  partition: string | null;
  /** Offset (Kafka) of the message in its partition, when reported. */
  offset: number | null;
  /** Kafka message key or RabbitMQ routing key: what per-key ordering is judged on. */
  routingKey: string | null;
  /** 1 for a first delivery, 2+ for redeliveries/retries when the SDK says so; null when unknown. */
  deliveryAttempt: number | null;
  /** The Signalbox pathway carried by the message (PATHWAY.md), when instrumented with it. */
  pathway: SpanPathway | null;
  /** Replay id stamped by a DLQ replay (the `signalbox-replay-id` header), when present. */
  replayId: string | null;
  /** The span records a dead-lettering (sent to a DLQ, or settled as dead-letter). */
  deadLetter: boolean;
  links: SpanLink[];
  /**
   * The full attribute set for the journey view, stored as it came: protobuf
   * KeyValue fields when the export was protobuf (no re-serialization on the
   * hot path), UTF-8 JSON text otherwise. decodeStoredAttributes reads both.
   */
  attributes: Uint8Array;
}

/**
 * The brokers the dashboard itself reads (consumer lag, dead letters), by their
 * `messaging.system` value as the OpenTelemetry semantic conventions spell it
 * where they have one. MQTT is instrumented but has no positions or DLQs to read.
 */
export type BrokerSystem = 'kafka' | 'rabbitmq' | 'nats' | 'redis' | 'aws_sqs' | 'bullmq';

export type OperationType = 'create' | 'send' | 'receive' | 'process' | 'settle';
