import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import {
  REPLAY_HEADERS,
  SQS_DLQ_ATTRIBUTE,
  SQS_MAX_MESSAGE_ATTRIBUTES,
  SQS_PACKED_CONTEXT_ATTRIBUTE,
} from '@signalbox/instrumentation/protocol';
import { CONTEXT_HEADERS, headerText } from '../dlq-headers';
import { DlqBrokerError, type DlqRecord, type OutgoingMessage } from '../dlq-types';

/*
 * An SQS message as a DlqRecord and back (pure, tested in dlq-mapping.test.ts).
 *
 * Reading: every message attribute becomes a header. The two attributes in which Signalbox packs
 * several fields because of SQS's 10-attribute budget are shown unpacked: `signalbox-dlq` (the
 * dead-letter set written by deadLetterSqs) and `signalbox-context` (trace context and replay markers
 * the instrumentation folded). So the page and parseDeadLetter see `signalbox-dlq-*`, `traceparent`
 * and `signalbox-replay-count` as on any other broker, and the replay strips them like everywhere
 * else. The system attributes below are added as headers too (parseDeadLetter reads the receive
 * count, the times and the redrive source from them); a message attribute of the same name wins.
 *
 * Writing a copy: the message's own attributes keep their DataType (Binary ones their bytes); system
 * attributes are never sent (SQS sets them itself); what the replay adds (replay id and count, the
 * new trace context) becomes one attribute each, or, when that would pass 10, is folded into one
 * `signalbox-context` attribute as the instrumentation does (its consumers read both forms). A
 * message whose own attributes (not counting trace context) leave no room even for that one is
 * refused with an error naming it.
 */

/** System attributes shown as headers. SQS sets them on every message: a copy never carries them. */
export const SQS_SYSTEM_ATTRIBUTES = [
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'SentTimestamp',
  'DeadLetterQueueSourceArn',
  'SenderId',
  'MessageGroupId',
  'MessageDeduplicationId',
  'SequenceNumber',
  'AWSTraceHeader',
] as const;

/** A message attribute as kept for the copy (Binary values as base64, so the record stays plain data). */
interface KeptAttribute {
  dataType: string;
  stringValue?: string;
  binaryBase64?: string;
}

/** What a replay of an SQS record needs besides its headers; carried in DlqRecord.properties. */
export interface SqsCopyProperties {
  sqsAttributes: Record<string, KeptAttribute>;
  /** Header names that are system attributes (never sent). */
  sqsSystem: string[];
  /** FIFO: the original's message group, kept so per-group order survives the replay. */
  sqsMessageGroupId?: string;
}

/** A JSON object of strings (the packed attributes' form), or null when the value is not one. */
export function unpackAttribute(value: string | undefined): Record<string, string> | null {
  if (value === undefined || !value.startsWith('{')) return null;
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
    const fields: Record<string, string> = {};
    for (const [name, field] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof field === 'string') fields[name] = field;
    }
    return fields;
  } catch {
    return null;
  }
}

const isPacked = (name: string) => name === SQS_DLQ_ATTRIBUTE || name === SQS_PACKED_CONTEXT_ATTRIBUTE;

/** A received SQS message (with MessageAttributeNames and MessageSystemAttributeNames `All`) as a record. */
export function sqsRecord(message: Message): DlqRecord {
  const headers: Record<string, string> = {};
  const kept: Record<string, KeptAttribute> = {};
  const packed: Record<string, string>[] = [];
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    const fields = isPacked(name) ? unpackAttribute(value.StringValue) : null;
    if (fields) {
      packed.push(fields);
      continue;
    }
    const binary = value.BinaryValue === undefined ? undefined : Buffer.from(value.BinaryValue);
    headers[name] = value.StringValue ?? headerText(binary);
    kept[name] = {
      dataType: value.DataType ?? 'String',
      ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
      ...(binary === undefined ? {} : { binaryBase64: binary.toString('base64') }),
    };
  }
  // The message's own attributes win over packed fields, as in the instrumentation's reader.
  for (const fields of packed) {
    for (const [name, value] of Object.entries(fields)) if (!(name in headers)) headers[name] = value;
  }
  const system: string[] = [];
  const attributes = (message.Attributes ?? {}) as Record<string, string | undefined>;
  for (const name of SQS_SYSTEM_ATTRIBUTES) {
    const value = attributes[name];
    if (value === undefined || name in headers) continue;
    headers[name] = value;
    system.push(name);
  }
  const sent = Number(attributes.SentTimestamp);
  const properties: SqsCopyProperties = {
    sqsAttributes: kept,
    sqsSystem: system,
    ...(attributes.MessageGroupId ? { sqsMessageGroupId: attributes.MessageGroupId } : {}),
  };
  return {
    key: message.MessageId ?? '',
    headers,
    // MessageId too: parseDeadLetter names a redriven message's original by it (it keeps its id).
    rawHeaders: { ...headers, MessageId: message.MessageId },
    body: Buffer.from(message.Body ?? '', 'utf8'),
    messageKey: null,
    timestamp: Number.isFinite(sent) && sent > 0 ? new Date(sent).toISOString() : null,
    properties: properties as unknown as Record<string, unknown>,
  };
}

function copyProperties(properties: Record<string, unknown> | undefined): SqsCopyProperties {
  const p = (properties ?? {}) as Partial<SqsCopyProperties>;
  return {
    sqsAttributes: typeof p.sqsAttributes === 'object' && p.sqsAttributes !== null ? p.sqsAttributes : {},
    sqsSystem: Array.isArray(p.sqsSystem) ? p.sqsSystem : [],
    ...(typeof p.sqsMessageGroupId === 'string' ? { sqsMessageGroupId: p.sqsMessageGroupId } : {}),
  };
}

/** The FIFO message group of a copy: the original's, else one group per target (keeps order). */
export function sqsMessageGroup(message: OutgoingMessage, target: string): string {
  return copyProperties(message.properties).sqsMessageGroupId ?? target;
}

/**
 * The MessageAttributes of a replayed copy, within SQS's budget (see the top of this file). Throws
 * DlqBrokerError when the message's own attributes already use all 10.
 */
export function sqsCopyAttributes(message: OutgoingMessage): Record<string, MessageAttributeValue> {
  const { sqsAttributes, sqsSystem } = copyProperties(message.properties);
  const own: Record<string, MessageAttributeValue> = {};
  const added: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    // The old dead-letter set: the copy is not a dead letter (deadLetterSqs drops it the same way).
    if (sqsSystem.includes(name) || name === SQS_DLQ_ATTRIBUTE) continue;
    // Context headers count as added even where the original carried them as attributes of their
    // own: the instrumentation folds them into signalbox-context when the budget is short (its
    // consumers read them from there).
    const original =
      Object.hasOwn(sqsAttributes, name) && !CONTEXT_HEADERS.has(name) ? sqsAttributes[name] : undefined;
    if (!original) added[name] = value;
    else if (original.binaryBase64 !== undefined && original.stringValue === undefined) {
      own[name] = { DataType: original.dataType, BinaryValue: Buffer.from(original.binaryBase64, 'base64') };
    } else own[name] = { DataType: original.dataType, StringValue: value };
  }
  const ownCount = Object.keys(own).length;
  const addedNames = Object.keys(added);
  if (ownCount + addedNames.length <= SQS_MAX_MESSAGE_ATTRIBUTES) {
    for (const name of addedNames) own[name] = { DataType: 'String', StringValue: added[name] };
    return own;
  }
  if (ownCount + 1 <= SQS_MAX_MESSAGE_ATTRIBUTES) {
    own[SQS_PACKED_CONTEXT_ATTRIBUTE] = { DataType: 'String', StringValue: JSON.stringify(added) };
    return own;
  }
  throw new DlqBrokerError(
    `the message with ${REPLAY_HEADERS.id} ${message.headers[REPLAY_HEADERS.id] ?? '?'} has ${ownCount} ` +
      `message attributes of its own: SQS allows ${SQS_MAX_MESSAGE_ATTRIBUTES}, so there is no room for the ` +
      `replay id, replay count and trace context. Remove one attribute (edit and replay the message ` +
      `elsewhere) or delete it; it was left in the dead-letter queue.`,
  );
}

/** Bytes SQS counts towards a message's (and a batch's) size: body plus attribute names, types and values. */
export function sqsMessageBytes(body: string, attributes: Record<string, MessageAttributeValue>): number {
  let bytes = Buffer.byteLength(body, 'utf8');
  for (const [name, value] of Object.entries(attributes)) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? '');
    bytes += value.StringValue !== undefined ? Buffer.byteLength(value.StringValue) : 0;
    bytes += value.BinaryValue?.byteLength ?? 0;
  }
  return bytes;
}

/** The queue name an SQS ARN names (`arn:aws:sqs:eu-west-1:123456789012:orders-dlq` → `orders-dlq`). */
export function queueNameFromArn(arn: unknown): string | null {
  if (typeof arn !== 'string' || !arn.startsWith('arn:')) return null;
  const name = arn.slice(arn.lastIndexOf(':') + 1);
  return name === '' ? null : name;
}

/** `deadLetterTargetArn` of a RedrivePolicy attribute (JSON text), or null. */
export function redriveTarget(policy: string | undefined): string | null {
  if (!policy) return null;
  try {
    const parsed = JSON.parse(policy) as { deadLetterTargetArn?: unknown };
    return queueNameFromArn(parsed.deadLetterTargetArn);
  } catch {
    return null;
  }
}
