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
export const MESSAGING_OPERATION_TYPE_SEND = 'send';
export const MESSAGING_OPERATION_TYPE_PROCESS = 'process';

/** `error.type` fallback when the error has no meaningful class name. */
export const ERROR_TYPE_OTHER = '_OTHER';

/**
 * RabbitMQ's name for the default (nameless) exchange; the spec uses it as the
 * destination when neither an exchange nor a routing key is given.
 */
export const RABBITMQ_DEFAULT_EXCHANGE = 'amq.default';
