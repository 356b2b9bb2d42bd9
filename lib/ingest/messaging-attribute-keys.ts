import { NATS_STREAM_ATTRIBUTE } from '@/lib/model/jetstream-destination';
import { PATHWAY_ATTRIBUTES } from '@/lib/model/pathway-attributes';
import { AttributeSelection } from '../otlp/attribute-selection';

/**
 * Every attribute key toMessagingSpan (messaging-span.ts, pathway-attributes.ts)
 * reads. The protobuf decoder on the ingest path turns only these into JS
 * values: the rest of a span's attributes is stored as the raw bytes it
 * arrived in, so creating strings for it would be wasted work (it was most of
 * the decoder's allocations). messaging-attribute-keys.test.ts fails if the
 * mapping reads a key missing here.
 *
 * `true` marks low-cardinality values (services, systems, destinations,
 * operations, groups), which the decoder interns by their bytes instead of
 * creating a string per span; ids, keys and offsets are different in every
 * span and gain nothing from a cache.
 */
export const MESSAGING_SPAN_KEYS: readonly (readonly [string, boolean])[] = [
  ['messaging.system', true],
  ['celery.action', true],
  ['messaging.operation.type', true],
  ['messaging.operation', true],
  ['messaging.operation.name', true],
  ['messaging.destination.name', true],
  ['messaging.destination', true],
  ['messaging.destination.template', true],
  ['celery.routing_key', true],
  // The Java agent's plain SQS DeleteMessage spans (messaging-span.ts, isJavaAgentSqsDelete).
  // The JetStream stream a NATS delivery came from (lib/model/jetstream-destination.ts).
  [NATS_STREAM_ATTRIBUTE, true],
  // MassTransit's receive activity has no messaging.system; its input address names the transport.
  ['messaging.masstransit.input_address', true],
  ['rpc.service', true],
  ['rpc.method', true],
  ['aws.sqs.queue.url', true],
  ['error.type', true],
  ['messaging.consumer.group.name', true],
  ['messaging.kafka.consumer.group', true],
  ['messaging.kafka.consumer_group', true],
  ['messaging.servicebus.destination.subscription_name', true],
  ['messaging.message.id', false],
  ['messaging.message_id', false],
  ['messaging.message.conversation_id', false],
  ['messaging.conversation_id', false],
  ['messaging.batch.message_count', false],
  ['messaging.destination.partition.id', true],
  ['messaging.kafka.destination.partition', true],
  ['messaging.kafka.partition', true],
  ['messaging.kafka.offset', false],
  ['messaging.kafka.message.offset', false],
  ['messaging.kafka.message.key', false],
  ['messaging.kafka.message_key', false],
  ['messaging.rabbitmq.destination.routing_key', true],
  ['messaging.rabbitmq.routing_key', true],
  ['messaging.gcp_pubsub.message.delivery_attempt', false],
  ['messaging.servicebus.message.delivery_count', false],
  ['signalbox.delivery.attempt', false],
  ['celery.retries', false],
  ['messaging.rabbitmq.message.redelivered', false],
  ['messaging.message.redelivered', false],
  ['signalbox.replay.id', false],
  ['messaging.header.signalbox_replay_id', false],
  ['messaging.header.signalbox-replay-id', false],
  [PATHWAY_ATTRIBUTES.hash, true],
  [PATHWAY_ATTRIBUTES.parentHash, true],
  [PATHWAY_ATTRIBUTES.originMs, false],
  [PATHWAY_ATTRIBUTES.sendMs, false],
  [PATHWAY_ATTRIBUTES.hops, false],
];

/** Keys the mapping looks for by prefix (any key under them marks a dead-lettering). */
export const DEAD_LETTER_KEY_PREFIXES = ['signalbox.dead_letter.', 'signalbox.dlq.'] as const;

/** The resource attributes the mapping reads. */
export const MESSAGING_RESOURCE_KEYS: readonly (readonly [string, boolean])[] = [['service.name', true]];

/** What the ingest decoder keeps of span and resource attributes (see decodeTracesProtobuf). */
export const MESSAGING_ATTRIBUTES = {
  span: new AttributeSelection(MESSAGING_SPAN_KEYS, DEAD_LETTER_KEY_PREFIXES),
  resource: new AttributeSelection(MESSAGING_RESOURCE_KEYS),
};
