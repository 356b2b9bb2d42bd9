import { diag } from '@opentelemetry/api';
import { azureServiceBusDialect } from './dialects/azure-servicebus.js';
import { bullmqDialect } from './dialects/bullmq.js';
import { kafkaConnectDialect } from './dialects/kafka-connect.js';
import { masstransitDialect } from './dialects/masstransit.js';
import { natsDialect } from './dialects/nats.js';
import { nservicebusDialect } from './dialects/nservicebus.js';
import { rabbitmqDialect } from './dialects/rabbitmq.js';
import { readReplay, signalboxDialect } from './dialects/signalbox.js';
import { springKafkaDialect } from './dialects/spring-kafka.js';
import { sqsDialect } from './dialects/sqs.js';
import type { DialectInput, DialectReader, DialectReading } from './dialects/types.js';
import { headerLookup } from './header-lookup.js';
import { emptyFailure, PARSE_LIMITS, type DeadLetterFailure, type DeadLetterSource } from './model.js';
import { normaliseSystem } from './system.js';
import { object, prop, record, text, time, traceparent } from './values.js';

/** A dead-lettered message in the raw shape its client returned it. */
export interface DeadLetterInput {
  /** `messaging.system` of the dead-letter queue: `kafka`, `rabbitmq`, `aws_sqs` (or `sqs`), `nats`, `redis`, `bullmq`, ... */
  system: string;
  /** The dead-letter queue's name (topic, queue, stream, subject). */
  destination: string;
  /**
   * The message's headers as the client gives them: kafkajs headers (Buffers,
   * arrays), an amqplib header table (with `x-death`), NATS `MsgHdrs`, a Redis
   * Streams field list (flat array or object), a Map, or a plain record.
   */
  headers?: unknown;
  /**
   * SQS: the received `Message` (its `MessageAttributes`, `Attributes` and
   * `MessageId` are read), or a flat record of attributes.
   */
  attributes?: unknown;
  /** BullMQ: the job (a Job instance, `job.asJSON()`, or the raw Redis hash). */
  job?: unknown;
  /** NATS: a JetStream max-deliveries or terminated advisory (object, JSON text or bytes). */
  advisory?: unknown;
  /**
   * When the broker stored the dead-letter copy (Kafka record timestamp, SQS
   * SentTimestamp, ...): used as `lastFailedAt` when no dialect says.
   */
  timestamp?: Date | number | string | null;
}

// Ours first; then application frameworks, which know the exception; then
// broker bookkeeping, which only knows the mechanics.
const READERS: readonly DialectReader[] = [
  signalboxDialect,
  springKafkaDialect,
  kafkaConnectDialect,
  masstransitDialect,
  nservicebusDialect,
  azureServiceBusDialect,
  bullmqDialect,
  natsDialect,
  rabbitmqDialect,
  sqsDialect,
];

// Names under which dead-letter queues are commonly created, to name the
// original when no header does (issue #7's discovery patterns).
const DLQ_NAME_PATTERNS: readonly RegExp[] = [
  /^(.+)[.\-_:](?:dlq|DLQ|DLT|dlt|dead-letter|deadletter|dead_letter)$/,
  /^(.+)_error$/,
  /^(?:dlq|DLQ)\.(.+)$/,
];

function guessOriginal(dlq: string | null): string | null {
  if (dlq === null) return null;
  for (const pattern of DLQ_NAME_PATTERNS) {
    const match = pattern.exec(dlq);
    if (match?.[1]) return match[1];
  }
  return null;
}

function normaliseInput(raw: DeadLetterInput): DialectInput {
  const attributes = object(prop(raw, 'attributes'));
  // A whole SQS Message: read its two attribute maps and its id.
  const sqsMessage =
    attributes &&
    (prop(attributes, 'MessageAttributes') !== undefined || prop(attributes, 'Attributes') !== undefined);
  const sources = sqsMessage
    ? [
        prop(attributes, 'MessageAttributes'),
        prop(attributes, 'Attributes'),
        { MessageId: prop(attributes, 'MessageId') },
      ]
    : [attributes];
  return {
    headers: headerLookup(prop(raw, 'headers'), ...sources),
    system: normaliseSystem(text(prop(raw, 'system'), 64)),
    destination: text(prop(raw, 'destination')),
    job: record(prop(raw, 'job')),
    advisory: record(prop(raw, 'advisory')),
  };
}

type Found = { dialect: DialectReader['dialect']; reading: DialectReading };

function pick<T>(found: readonly Found[], read: (reading: DialectReading) => T | null | undefined): T | null {
  for (const { reading } of found) {
    const value = read(reading);
    if (value !== null && value !== undefined) return value;
  }
  return null;
}

/**
 * The source comes from the most authoritative dialect that names a
 * destination; other dialects may only fill gaps when they name the same
 * destination (or none), so a partition from one never pairs with another's topic.
 */
function pickSource(
  found: readonly Found[],
  input: DialectInput,
  model: DeadLetterFailure,
): DeadLetterSource {
  const destination = pick(found, (r) => r.source?.destination);
  const consistent = found.filter(({ reading }) => {
    const own = reading.source?.destination;
    return own === undefined || own === null || own === destination;
  });
  const source: DeadLetterSource = {
    system: pick(consistent, (r) => r.source?.system) ?? input.system,
    destination,
    partition: pick(consistent, (r) => r.source?.partition),
    offset: pick(consistent, (r) => r.source?.offset),
    messageId: pick(consistent, (r) => r.source?.messageId),
    consumerGroup: pick(consistent, (r) => r.source?.consumerGroup),
  };
  if (source.destination === null) {
    source.destination = guessOriginal(input.destination);
    if (source.destination !== null) model.details['signalbox.destination_guessed'] = 'true';
  }
  return source;
}

function mergeDetails(found: readonly Found[], details: Record<string, string>): void {
  for (const { reading } of found) {
    for (const [key, value] of Object.entries(reading.details ?? {})) {
      if (Object.keys(details).length >= PARSE_LIMITS.detailEntries) return;
      const clipped = value === null ? null : text(value);
      if (clipped !== null && !Object.hasOwn(details, key)) details[key] = clipped;
    }
  }
}

function readAll(input: DialectInput): Found[] {
  const found: Found[] = [];
  for (const reader of READERS) {
    try {
      const reading = reader.read(input);
      if (reading) found.push({ dialect: reader.dialect, reading });
    } catch (err) {
      // A reader bug must cost only that dialect, never the whole model.
      diag.debug(`@signalbox/instrumentation: ${reader.dialect} dead-letter reader failed`, err);
    }
  }
  return found;
}

function build(raw: DeadLetterInput): DeadLetterFailure {
  const input = normaliseInput(raw);
  const found = readAll(input);
  const model = emptyFailure();
  model.dialects = found.map((f) => f.dialect);
  model.dialect = model.dialects[0] ?? null;
  model.errorType = pick(found, (r) => r.errorType);
  model.errorMessage = pick(found, (r) => r.errorMessage);
  model.stackTrace = pick(found, (r) => r.stackTrace);
  model.reason = pick(found, (r) => r.reason) ?? (model.errorType || model.errorMessage ? 'error' : null);
  model.attempts = pick(found, (r) => r.attempts);
  model.firstFailedAt = pick(found, (r) => r.firstFailedAt);
  model.lastFailedAt = pick(found, (r) => r.lastFailedAt) ?? time(prop(raw, 'timestamp'));
  model.traceparent =
    pick(found, (r) => r.traceparent) ??
    traceparent(input.headers.get('traceparent')) ??
    // Azure Service Bus and other .NET clients carry W3C context here.
    traceparent(input.headers.get('Diagnostic-Id'));
  model.traceId = model.traceparent?.split('-')[1] ?? null;
  model.replay = readReplay(input);
  model.source = pickSource(found, input, model);
  mergeDetails(found, model.details);
  return model;
}

/**
 * Reads a dead-lettered message, in any dialect Signalbox knows, into one
 * {@link DeadLetterFailure}: Signalbox's own `signalbox-dlq-*` headers (or the
 * packed SQS attribute, or a BullMQ dead-letter job), RabbitMQ `x-death`,
 * Spring Kafka `kafka_dlt-*`, Kafka Connect `__connect.errors.*`, MassTransit
 * `MT-Fault-*`, NServiceBus `NServiceBus.*`, Azure Service Bus
 * `DeadLetterReason`, SQS redrive attributes, failed BullMQ jobs and JetStream
 * advisories. When several are present, ours wins, then the most specific.
 *
 * Never throws. Hostile input (huge or binary values, wrong types, cyclic
 * arrays, throwing getters) yields nulls for what cannot be read; every
 * string is bounded by {@link PARSE_LIMITS}.
 */
export function parseDeadLetter(input: DeadLetterInput): DeadLetterFailure {
  try {
    return build(input);
  } catch (err) {
    diag.debug('@signalbox/instrumentation: unreadable dead-letter message', err);
    const model = emptyFailure();
    model.source.system = normaliseSystem(text(prop(input, 'system'), 64));
    return model;
  }
}
