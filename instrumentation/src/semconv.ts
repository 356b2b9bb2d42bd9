/*
 * OpenTelemetry messaging semantic conventions (v1.44.0) used by this package.
 *
 * Defined here rather than imported from `@opentelemetry/semantic-conventions`
 * because every messaging attribute is still "Development" and lives only in
 * that package's `incubating` entry point, which its authors say may break in
 * minor releases. Pinning the names we emit keeps our output stable.
 *
 * Spec: https://github.com/open-telemetry/semantic-conventions/blob/v1.44.0/docs/messaging/messaging-spans.md
 */

export const SEMCONV_VERSION = '1.44.0';

// Attributes shared by every messaging system.
export const ATTR_MESSAGING_SYSTEM = 'messaging.system';
export const ATTR_MESSAGING_OPERATION_NAME = 'messaging.operation.name';
export const ATTR_MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
export const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name';
export const ATTR_MESSAGING_DESTINATION_ANONYMOUS = 'messaging.destination.anonymous';
export const ATTR_MESSAGING_DESTINATION_PARTITION_ID = 'messaging.destination.partition.id';
export const ATTR_MESSAGING_CONSUMER_GROUP_NAME = 'messaging.consumer.group.name';
export const ATTR_MESSAGING_MESSAGE_ID = 'messaging.message.id';
export const ATTR_MESSAGING_MESSAGE_CONVERSATION_ID = 'messaging.message.conversation_id';
export const ATTR_MESSAGING_BATCH_MESSAGE_COUNT = 'messaging.batch.message_count';

// Kafka (docs/messaging/kafka.md).
export const ATTR_MESSAGING_KAFKA_MESSAGE_KEY = 'messaging.kafka.message.key';
export const ATTR_MESSAGING_KAFKA_MESSAGE_TOMBSTONE = 'messaging.kafka.message.tombstone';
export const ATTR_MESSAGING_KAFKA_OFFSET = 'messaging.kafka.offset';

// RabbitMQ (docs/messaging/rabbitmq.md).
export const ATTR_MESSAGING_RABBITMQ_DESTINATION_ROUTING_KEY = 'messaging.rabbitmq.destination.routing_key';
export const ATTR_MESSAGING_RABBITMQ_MESSAGE_DELIVERY_TAG = 'messaging.rabbitmq.message.delivery_tag';

// Stable attributes (general/server and recording-errors).
export const ATTR_SERVER_ADDRESS = 'server.address';
export const ATTR_SERVER_PORT = 'server.port';
export const ATTR_ERROR_TYPE = 'error.type';

/** Well-known `messaging.system` values. */
export const MESSAGING_SYSTEM_KAFKA = 'kafka';
export const MESSAGING_SYSTEM_RABBITMQ = 'rabbitmq';

/** Well-known `messaging.operation.type` values (the span kind follows from the type). */
export const MESSAGING_OPERATION_TYPE_CREATE = 'create';
export const MESSAGING_OPERATION_TYPE_SEND = 'send';
export const MESSAGING_OPERATION_TYPE_RECEIVE = 'receive';
export const MESSAGING_OPERATION_TYPE_PROCESS = 'process';
export const MESSAGING_OPERATION_TYPE_SETTLE = 'settle';

export type MessagingOperationType = 'create' | 'send' | 'receive' | 'process' | 'settle';

/*
 * Pre-1.26 attribute names, emitted in addition to the current ones only when
 * OTEL_SEMCONV_STABILITY_OPT_IN contains `messaging/dup`, so backends and
 * dashboards written against the old names keep working during a migration.
 * https://github.com/open-telemetry/semantic-conventions/blob/v1.26.0/docs/messaging/messaging-spans.md
 */
export const ATTR_LEGACY_MESSAGING_OPERATION = 'messaging.operation';
export const ATTR_LEGACY_MESSAGING_DESTINATION = 'messaging.destination';
export const ATTR_LEGACY_MESSAGING_KAFKA_CONSUMER_GROUP = 'messaging.kafka.consumer.group';

// Metrics (docs/messaging/messaging-metrics.md).
export const METRIC_MESSAGING_CLIENT_OPERATION_DURATION = 'messaging.client.operation.duration';
export const METRIC_MESSAGING_CLIENT_SENT_MESSAGES = 'messaging.client.sent.messages';
export const METRIC_MESSAGING_CLIENT_CONSUMED_MESSAGES = 'messaging.client.consumed.messages';
export const METRIC_MESSAGING_PROCESS_DURATION = 'messaging.process.duration';

/** The spec's bucket advice for the two duration histograms. */
export const MESSAGING_DURATION_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

/** `error.type` fallback when the error has no meaningful class name. */
export const ERROR_TYPE_OTHER = '_OTHER';

/**
 * RabbitMQ's name for the default (nameless) exchange; the spec uses it as the
 * destination when neither an exchange nor a routing key is given.
 */
export const RABBITMQ_DEFAULT_EXCHANGE = 'amq.default';

/*
 * Signalbox's own names (PATHWAY.md). Namespaced `signalbox.` so they can never
 * collide with a future semantic convention.
 */
export const METRIC_PATHWAY_SENT = 'signalbox.messaging.pathway.sent';
export const METRIC_EDGE_LATENCY = 'signalbox.messaging.edge.latency';
export const METRIC_PATHWAY_LATENCY = 'signalbox.messaging.pathway.latency';
export const METRIC_REDELIVERIES = 'signalbox.messaging.redeliveries';
export const METRIC_DEAD_LETTERS = 'signalbox.messaging.dead_letters';

export const ATTR_PATHWAY_HASH = 'signalbox.pathway.hash';
export const ATTR_PATHWAY_PARENT_HASH = 'signalbox.pathway.parent_hash';
export const ATTR_PATHWAY_ORIGIN_MS = 'signalbox.pathway.origin_ms';
export const ATTR_PATHWAY_SEND_MS = 'signalbox.pathway.send_ms';
export const ATTR_PATHWAY_HOPS = 'signalbox.pathway.hops';

/** Bucket advice for the latency histograms: they span milliseconds to an hour of queueing. */
export const PATHWAY_LATENCY_BUCKETS: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600,
];
