import { diag } from '@opentelemetry/api';
import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import { MAX_HEADER_VALUE_LENGTH, TRACEPARENT, type MessageCarrier } from '../../propagation/carrier.js';
import { ownKeys, type HeaderTable } from '../../propagation/header-table.js';
import { asPlainRecord } from '../../propagation/plain-record.js';
import { traceparentFromAwsTraceHeader } from './xray-trace-header.js';

/*
 * SQS carries context in MessageAttributes, which have a hard budget: at most
 * 10 per message (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html).
 * contrib's aws-sdk instrumentation skips propagation when the budget would be
 * exceeded; we never lose context silently: we warn and pack every field into
 * ONE attribute instead, and readers accept both forms.
 */

/** SQS's per-message limit on MessageAttributes. */
export const SQS_MAX_MESSAGE_ATTRIBUTES = 10;

/**
 * Name of the single attribute that holds all propagation fields when they do
 * not fit the budget one per attribute. Value: a JSON object of strings,
 * e.g. `{"traceparent":"00-…","signalbox-pathway":"1:…"}`.
 */
export const SQS_PACKED_CONTEXT_ATTRIBUTE = 'signalbox-context';

// traceparent + tracestate + pathway + a full W3C baggage stay well inside this;
// anything bigger is not ours and is never parsed.
const MAX_PACKED_LENGTH = 2 * MAX_HEADER_VALUE_LENGTH;

export type SqsMessageAttributes = Record<string, MessageAttributeValue>;

/** The StringValue of a String-typed attribute (`String` or `String.<label>`), else undefined. */
function stringAttribute(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { DataType: dataType, StringValue: stringValue } = value as Record<string, unknown>;
  if (typeof dataType !== 'string' || !(dataType === 'String' || dataType.startsWith('String.'))) {
    return undefined;
  }
  return typeof stringValue === 'string' && stringValue.length <= MAX_HEADER_VALUE_LENGTH
    ? stringValue
    : undefined;
}

/** Parses the packed attribute into its string fields; anything malformed yields an empty object. */
export function unpackContext(value: unknown): Record<string, string> {
  const text = typeof value === 'string' ? value : undefined;
  if (text === undefined || text.length > MAX_PACKED_LENGTH || !text.startsWith('{')) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    // Null prototype: a field named `constructor` or `__proto__` is data, never Object.prototype's.
    const fields = Object.create(null) as Record<string, string>;
    for (const [key, field] of Object.entries(parsed)) {
      if (typeof field === 'string' && field.length <= MAX_HEADER_VALUE_LENGTH) fields[key] = field;
    }
    return fields;
  } catch {
    return {};
  }
}

function lookup(table: HeaderTable | undefined, key: string): string | undefined {
  if (!table) return undefined;
  // SQS attribute names are case-sensitive; we only ever write lowercase names.
  return Object.hasOwn(table, key) ? stringAttribute(table[key]) : undefined;
}

function packedFields(table: HeaderTable | undefined): Record<string, string> {
  return unpackContext(lookup(table, SQS_PACKED_CONTEXT_ATTRIBUTE));
}

/**
 * A read-only {@link MessageCarrier} over a received message's
 * `MessageAttributes`: a field is read from its own attribute, else from the
 * packed `signalbox-context` attribute. Pass the message's system `Attributes`
 * too and a message without our context still yields the producer's context
 * from `AWSTraceHeader` (set by X-Ray-instrumented producers and AWS services).
 * Writes are ignored. Never throws.
 */
export function sqsAttributesCarrier(messageAttributes: unknown, systemAttributes?: unknown): MessageCarrier {
  const table = asPlainRecord(messageAttributes);
  let packed: Record<string, string> | undefined;
  const unpacked = () => (packed ??= packedFields(table));
  return {
    get(key) {
      try {
        const direct = lookup(table, key);
        if (direct !== undefined) return direct;
        if (table && Object.hasOwn(table, SQS_PACKED_CONTEXT_ATTRIBUTE)) {
          const fields = unpacked();
          if (Object.hasOwn(fields, key)) return fields[key];
        }
        if (key === TRACEPARENT) return awsTraceParent(systemAttributes);
        return undefined;
      } catch {
        return undefined;
      }
    },
    set() {
      // Received messages are read-only; writing goes through prepareSqsAttributes.
    },
    keys() {
      try {
        const keys = ownKeys(table).filter((k) => k !== SQS_PACKED_CONTEXT_ATTRIBUTE);
        for (const k of Object.keys(unpacked())) if (!keys.includes(k)) keys.push(k);
        return keys;
      } catch {
        return [];
      }
    },
  };
}

function awsTraceParent(systemAttributes: unknown): string | undefined {
  const table = asPlainRecord(systemAttributes);
  if (!table || !Object.hasOwn(table, 'AWSTraceHeader')) return undefined;
  return traceparentFromAwsTraceHeader(table.AWSTraceHeader);
}

/** How the fields written by {@link prepareSqsAttributes} were stored. */
export type SqsContextPlacement = 'attributes' | 'packed' | 'dropped' | 'none';

export interface PreparedSqsAttributes {
  /** A copy of the caller's attributes with the context added; undefined when there is nothing to send. */
  attributes: SqsMessageAttributes | undefined;
  placement: SqsContextPlacement;
}

/** A carrier that collects what is written, to be fitted into the budget by `commit`. */
export interface StagedSqsAttributes {
  /** Reads the caller's attributes (also packed ones) and what was written so far; writes are staged. */
  readonly carrier: MessageCarrier;
  /** Fits the staged fields into a copy of the caller's attributes (see {@link prepareSqsAttributes}). */
  commit(where?: string): PreparedSqsAttributes;
}

/**
 * Two-phase form of {@link prepareSqsAttributes}, for batch sends whose
 * carriers must all exist before the context is written into them.
 */
export function stageSqsAttributes(attributes: SqsMessageAttributes | undefined): StagedSqsAttributes {
  const existing = asPlainRecord(attributes);
  const reader = sqsAttributesCarrier(existing);
  const staged = new Map<string, string>();
  const carrier: MessageCarrier = {
    get: (key) => staged.get(key) ?? reader.get(key),
    set: (key, value) => {
      staged.set(key, value);
    },
    keys: () => [...new Set([...reader.keys(), ...staged.keys()])],
  };
  return {
    carrier,
    commit(where = 'an SQS message') {
      if (staged.size === 0) return { attributes, placement: 'none' };
      try {
        return fit(existing, staged, where) ?? { attributes, placement: 'dropped' };
      } catch (err) {
        // Attributes we cannot even copy (throwing getters) are sent as they are.
        diag.warn('@signalbox/instrumentation: could not add trace context to SQS message attributes', err);
        return { attributes, placement: 'dropped' };
      }
    },
  };
}

/**
 * Runs `write` against a carrier over a COPY of `attributes` (the caller's
 * object may be reused across sends) and fits what it wrote into the
 * 10-attribute budget: one attribute per field when they fit, else one
 * packed `signalbox-context` attribute with a `diag.warn`, else (the caller
 * already uses all 10) nothing with a `diag.warn`. `write` sees the caller's
 * existing fields through `get`, so a traceparent the user set is detected
 * and kept. Never throws.
 */
export function prepareSqsAttributes(
  attributes: SqsMessageAttributes | undefined,
  write: (carrier: MessageCarrier) => void,
  where = 'an SQS message',
): PreparedSqsAttributes {
  const stage = stageSqsAttributes(attributes);
  try {
    write(stage.carrier);
  } catch (err) {
    diag.warn('@signalbox/instrumentation: could not write trace context for SQS', err);
  }
  return stage.commit(where);
}

// Once per process and kind: the cause is how the application builds its
// messages, so it repeats on every send; one clear line says it all.
const warned = new Set<string>();
function warnOnce(kind: string, message: string): void {
  if (warned.has(kind)) return;
  warned.add(kind);
  diag.warn(message);
}

function fit(
  existing: HeaderTable | undefined,
  staged: Map<string, string>,
  where: string,
): PreparedSqsAttributes | undefined {
  const copy = { ...existing } as SqsMessageAttributes;
  const used = Object.keys(copy).length;
  const added = [...staged.keys()].filter((key) => !Object.hasOwn(copy, key));
  if (used + added.length <= SQS_MAX_MESSAGE_ATTRIBUTES) {
    for (const [key, value] of staged) copy[key] = { DataType: 'String', StringValue: value };
    return { attributes: copy, placement: 'attributes' };
  }
  if (Object.hasOwn(copy, SQS_PACKED_CONTEXT_ATTRIBUTE) || used + 1 <= SQS_MAX_MESSAGE_ATTRIBUTES) {
    const packed = { ...packedFields(existing), ...Object.fromEntries(staged) };
    warnOnce(
      'packed',
      `@signalbox/instrumentation: ${where} has ${used} message attributes; ${added.length} more for trace context would exceed SQS's limit of ${SQS_MAX_MESSAGE_ATTRIBUTES}, so they are packed into the single attribute "${SQS_PACKED_CONTEXT_ATTRIBUTE}" (consumers instrumented by Signalbox read it; others see no trace context). Logged once per process.`,
    );
    copy[SQS_PACKED_CONTEXT_ATTRIBUTE] = { DataType: 'String', StringValue: JSON.stringify(packed) };
    return { attributes: copy, placement: 'packed' };
  }
  warnOnce(
    'dropped',
    `@signalbox/instrumentation: ${where} already uses all ${SQS_MAX_MESSAGE_ATTRIBUTES} SQS message attributes; trace context and the pathway header are NOT propagated for such messages. Free one attribute to propagate them. Logged once per process.`,
  );
  return undefined;
}
