import { flag, hasKeyWithPrefix, integer, text } from '@/lib/model/attribute-readers';
import { natsDestination } from '@/lib/model/jetstream-destination';
import { readSpanPathway } from '@/lib/model/pathway-attributes';
import type { MessagingSpan, OperationType } from '@/lib/model/span';
import { type Attributes, type DecodedSpan, SpanKind } from '@/lib/model/telemetry';
import { DEAD_LETTER_KEY_PREFIXES } from './messaging-attribute-keys';
import { rabbitmqDestination } from './rabbitmq-destination';

// Celery's instrumentation (opentelemetry-instrumentation-celery) sets no
// messaging.system: it marks its spans with celery.action instead.
const CELERY_ACTIONS: Record<string, OperationType> = { apply_async: 'send', run: 'process' };

/**
 * Operation type from current (messaging.operation.type, semconv >= 1.26) or
 * older (messaging.operation) attributes. Older names: `publish` became `send`
 * in 1.27; `deliver` was an early name for push-based processing. Without any
 * attribute, the span kind decides for producers and consumers.
 */
function operationType(attributes: Attributes, kind: number, name: string): OperationType | null {
  const raw = text(attributes, 'messaging.operation.type', 'messaging.operation');
  if (raw === null && JAVA_AGENT_RABBITMQ_SETTLES.has(name)) return 'settle';
  switch (raw) {
    case 'create':
    case 'send':
    case 'receive':
    case 'process':
    case 'settle':
      return raw;
    case 'publish':
      return 'send';
    case 'deliver':
      return 'process';
  }
  const celery = CELERY_ACTIONS[text(attributes, 'celery.action') ?? ''];
  if (celery) return celery;
  if (kind === SpanKind.PRODUCER) return 'send';
  if (kind === SpanKind.CONSUMER) return 'process';
  return null;
}

// The OpenTelemetry Java agent (2.33.1, default semconv) reports acks as client spans named after
// the AMQP method, with messaging.system but no operation attribute.
const JAVA_AGENT_RABBITMQ_SETTLES = new Set(['basic.ack', 'basic.nack', 'basic.reject']);

// The OpenTelemetry Java agent (2.33.1, default semconv) reports an SQS DeleteMessage (the
// consumer's settle) as a plain AWS SDK client span: no messaging.system, only rpc.* and the
// queue URL. (With otel.semconv-stability.opt-in=messaging it is a messaging settle span.)
function isJavaAgentSqsDelete(attributes: Attributes): boolean {
  if (text(attributes, 'messaging.system') !== null) return false;
  const method = text(attributes, 'rpc.method');
  return (
    text(attributes, 'rpc.service') === 'Sqs' &&
    (method === 'DeleteMessage' || method === 'DeleteMessageBatch') &&
    text(attributes, 'aws.sqs.queue.url') !== null
  );
}

/** The queue name is the last path segment of an SQS queue URL. */
function sqsQueueName(attributes: Attributes): string | null {
  const url = text(attributes, 'aws.sqs.queue.url');
  return url?.split('/').filter(Boolean).pop() ?? null;
}

/** Dead-letter queue names by the conventions DLQ tools recognise (*.dlq, *.DLT, *_error, *.dead-letter). */
const DLQ_NAME = /([.\-_](dlq|dlt|dead[-_.]?letters?)|_error)$/i;

function isDeadLetter(attributes: Attributes, opType: OperationType | null, destination: string | null) {
  const opName = text(attributes, 'messaging.operation.name')?.toLowerCase();
  if (opName === 'dead_letter' || opName === 'deadletter' || opName === 'dead-letter') return true;
  if (hasKeyWithPrefix(attributes, DEAD_LETTER_KEY_PREFIXES)) return true;
  return opType === 'send' && destination !== null && DLQ_NAME.test(destination);
}

/**
 * Delivery attempt from the attributes SDKs use for it: Pub/Sub and Service
 * Bus count attempts from 1, Celery counts retries from 0, and RabbitMQ-style
 * `redelivered` flags only say "not the first" (reported as 2).
 */
function deliveryAttempt(attributes: Attributes): number | null {
  const attempt = boundedInteger(
    attributes,
    'messaging.gcp_pubsub.message.delivery_attempt',
    'messaging.servicebus.message.delivery_count',
    'signalbox.delivery.attempt',
  );
  if (attempt !== null) return attempt;
  const retries = boundedInteger(attributes, 'celery.retries');
  if (retries !== null) return retries + 1;
  if (flag(attributes, 'messaging.rabbitmq.message.redelivered', 'messaging.message.redelivered')) return 2;
  return null;
}

/** A small non-negative integer attribute (counts, attempts); anything else reads as absent. */
function boundedInteger(attributes: Attributes, k1: string, k2?: string, k3?: string): number | null {
  const n = integer(attributes, k1, k2, k3);
  return n !== null && n >= 0 && n <= 1_000_000_000 ? n : null;
}

/**
 * Google's Go Pub/Sub client (cloud.google.com/go/pubsub/v2, pubsub/v2/trace.go at commit 3cefa70f) names
 * the subscription, not the topic, in a subscribe span's messaging.destination.name and sets no consumer
 * group attribute. A subscription is what the conventions call a consumer group (semconv 1.27+,
 * messaging.consumer.group.name), so a Pub/Sub delivery without a group is grouped by its subscription.
 */
function pubsubSubscription(system: string, opType: OperationType | null, destination: string | null) {
  return system === 'gcp_pubsub' && (opType === 'receive' || opType === 'process') ? destination : null;
}

/**
 * The Azure Service Bus SDK for .NET (Azure.Messaging.ServiceBus; Azure.Core's MessagingClientDiagnostics.cs,
 * commit 0784e789) puts the receiver's entity path in messaging.destination.name, which for a topic
 * subscription is `{topic}/Subscriptions/{subscription}` (EntityNameFormatter.FormatSubscriptionPath). The
 * topic is the destination its senders name; the subscription is the consumer's group.
 */
const SERVICEBUS_SUBSCRIPTION_PATH = /^(.+)\/Subscriptions\/([^/]+)$/i;

function serviceBusSubscription(system: string, destination: string | null) {
  if (system !== 'servicebus' || destination === null) return null;
  const m = SERVICEBUS_SUBSCRIPTION_PATH.exec(destination);
  return m ? { topic: m[1]!, subscription: m[2]! } : null;
}

/**
 * MassTransit (8.5.8, src/MassTransit/Logging/Diagnostics/LogContextActivityExtensions.cs) sets
 * messaging.system on its send activities only: its `{queue} receive` consumer activity carries
 * messaging.operation `receive`, the queue in messaging.destination.name and the endpoint's
 * `messaging.masstransit.input_address` (`rabbitmq://host/vhost/queue`), whose scheme names the transport.
 * Only RabbitMQ's schemes are read here.
 */
function massTransitSystem(attributes: Attributes): string | null {
  const address = text(attributes, 'messaging.masstransit.input_address');
  const scheme = address?.slice(0, address.indexOf('://')).toLowerCase();
  return scheme === 'rabbitmq' || scheme === 'rabbitmqs' ? 'rabbitmq' : null;
}

/** Returns null for spans that are not messaging spans (no messaging.system, not Celery). */
export function toMessagingSpan(span: DecodedSpan): MessagingSpan | null {
  const a = span.attributes;
  const javaAgentSqsSettle = isJavaAgentSqsDelete(a);
  const system =
    text(a, 'messaging.system') ??
    (text(a, 'celery.action') ? 'celery' : null) ??
    (javaAgentSqsSettle ? 'aws_sqs' : null) ??
    massTransitSystem(a);
  if (system === null) return null;
  const opType = javaAgentSqsSettle ? 'settle' : operationType(a, span.kind, span.name);
  // The template first: a span names its destination as its metrics do. Metrics carry
  // `messaging.destination.template` where there is one (a wildcard subscription's
  // `orders.*`, a user's template), never the raw name, to keep cardinality bounded
  // (semconv 1.44 messaging metrics); reading the concrete name from the span would
  // draw one consumer as fed by two destinations. The concrete name stays in the
  // span's attributes for its journey.
  const named =
    text(
      a,
      'messaging.destination.template',
      'messaging.destination.name',
      'messaging.destination', // before semconv 1.17 (still sent by Celery and Java agent 1.x)
      'celery.routing_key',
    ) ?? (javaAgentSqsSettle ? sqsQueueName(a) : null);
  const destination =
    system === 'rabbitmq'
      ? rabbitmqDestination(named, a, span.name, opType)
      : system === 'nats'
        ? natsDestination(named, a)
        : named;
  const sbSubscription = serviceBusSubscription(system, destination);
  const resolvedDestination = sbSubscription?.topic ?? destination;
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    service: text(span.resource, 'service.name') ?? 'unknown_service',
    name: span.name,
    kind: span.kind,
    startTimeUs: span.startTimeUs,
    durationUs: Math.max(0, span.endTimeUs - span.startTimeUs),
    statusCode: span.statusCode,
    statusMessage: span.statusMessage,
    errorType: text(a, 'error.type'),
    system,
    operationType: opType,
    // messaging.operation.name arrived in 1.27; before it the operation type was the name.
    operationName: text(a, 'messaging.operation.name', 'messaging.operation', 'celery.action') ?? opType,
    destination: resolvedDestination,
    consumerGroup:
      text(
        a,
        'messaging.consumer.group.name', // 1.27+
        'messaging.kafka.consumer.group', // 1.17 - 1.26
        'messaging.kafka.consumer_group', // before 1.17
        'messaging.servicebus.destination.subscription_name', // semconv 1.24 - 1.26 (Azure Service Bus)
      ) ??
      sbSubscription?.subscription ??
      pubsubSubscription(system, opType, destination),
    messageId: text(a, 'messaging.message.id', 'messaging.message_id'),
    conversationId: text(a, 'messaging.message.conversation_id', 'messaging.conversation_id'),
    batchMessageCount: boundedInteger(a, 'messaging.batch.message_count'),
    partition: text(
      a,
      'messaging.destination.partition.id', // 1.24+
      'messaging.kafka.destination.partition', // 1.17 - 1.23
      'messaging.kafka.partition', // before 1.17
    ),
    offset: integer(a, 'messaging.kafka.offset', 'messaging.kafka.message.offset'),
    routingKey: text(
      a,
      'messaging.kafka.message.key',
      'messaging.kafka.message_key',
      'messaging.rabbitmq.destination.routing_key',
      'messaging.rabbitmq.routing_key',
    ),
    deliveryAttempt: deliveryAttempt(a),
    pathway: readSpanPathway(a, span.startTimeUs / 1000),
    replayId: text(
      a,
      'signalbox.replay.id',
      'messaging.header.signalbox_replay_id',
      'messaging.header.signalbox-replay-id',
    ),
    deadLetter: isDeadLetter(a, opType, resolvedDestination),
    links: span.links,
    attributes: span.rawAttributes ?? Buffer.from(JSON.stringify(a)),
  };
}
