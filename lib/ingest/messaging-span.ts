import { type Attributes, type DecodedSpan, SpanKind, type SpanLink } from './model';

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
  links: SpanLink[];
  attributesJson: string;
}

export type OperationType = 'create' | 'send' | 'receive' | 'process' | 'settle';

function text(attributes: Attributes, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = attributes[key];
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  }
  return null;
}

function integer(attributes: Attributes, key: string): number | null {
  const value = attributes[key];
  return typeof value === 'number' && Number.isInteger(value) ? value : null;
}

/**
 * Operation type from current (messaging.operation.type, semconv >= 1.26) or
 * older (messaging.operation) attributes. Older names: `publish` became `send`
 * in 1.27; `deliver` was an early name for push-based processing. Without any
 * attribute, the span kind decides for producers and consumers.
 */
function operationType(attributes: Attributes, kind: number): OperationType | null {
  const raw = text(attributes, 'messaging.operation.type', 'messaging.operation');
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
  if (kind === SpanKind.PRODUCER) return 'send';
  if (kind === SpanKind.CONSUMER) return 'process';
  return null;
}

/** Returns null for spans that are not messaging spans (no messaging.system). */
export function toMessagingSpan(span: DecodedSpan): MessagingSpan | null {
  const a = span.attributes;
  const system = text(a, 'messaging.system');
  if (system === null) return null;
  const opType = operationType(a, span.kind);
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
    operationName: text(a, 'messaging.operation.name', 'messaging.operation') ?? opType,
    destination: text(
      a,
      'messaging.destination.name',
      'messaging.destination', // before semconv 1.17
      'messaging.destination.template',
    ),
    consumerGroup: text(
      a,
      'messaging.consumer.group.name', // 1.27+
      'messaging.kafka.consumer.group', // 1.17 - 1.26
      'messaging.kafka.consumer_group', // before 1.17
    ),
    messageId: text(a, 'messaging.message.id', 'messaging.message_id'),
    conversationId: text(a, 'messaging.message.conversation_id', 'messaging.conversation_id'),
    batchMessageCount: integer(a, 'messaging.batch.message_count'),
    links: span.links,
    attributesJson: JSON.stringify(a),
  };
}
