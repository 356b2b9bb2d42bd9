import { decodeHeaderValue } from '../encoding.js';
import {
  BULLMQ_DLQ_DATA_KEY,
  DLQ_HEADERS,
  DLQ_HEADER_PREFIX,
  REPLAY_HEADERS,
  SQS_DLQ_ATTRIBUTE,
} from '../headers.js';
import { PARSE_LIMITS, type DeadLetterReplay } from '../model.js';
import { normaliseSystem } from '../system.js';
import { count, int64, prop, record, sanitize, text, time, traceparent } from '../values.js';
import type { DialectInput, DialectReader } from './types.js';

/*
 * Our own header set (headers.ts). It can arrive three ways: as headers, as
 * the one packed SQS attribute `signalbox-dlq` (JSON), or inside a BullMQ
 * dead-letter job's data. Headers win over the packed forms.
 */

type Getter = (name: string) => unknown;

function packedSources(input: DialectInput): Record<string, unknown>[] {
  const sources: Record<string, unknown>[] = [];
  const sqs = record(text(input.headers.get(SQS_DLQ_ATTRIBUTE), PARSE_LIMITS.bytes));
  if (sqs) sources.push(sqs);
  if (input.job) {
    const data = record(prop(input.job, 'data'));
    const envelope = data ? record(prop(data, BULLMQ_DLQ_DATA_KEY)) : null;
    if (envelope) sources.push(envelope);
  }
  return sources;
}

/** Looks a name up in the headers, then in the packed forms. */
function ourValues(input: DialectInput): Getter {
  const packed = packedSources(input);
  return (name) => {
    const direct = input.headers.get(name);
    if (direct !== undefined) return direct;
    for (const source of packed) {
      const value = prop(source, name);
      if (value !== undefined) return value;
    }
    return undefined;
  };
}

// Our values are percent-encoded: read the raw text with room for escapes,
// decode, then apply the model's limit.
function decoded(get: Getter, name: string, max: number = PARSE_LIMITS.text): string | null {
  const raw = text(get(name), max * 3);
  if (raw === null) return null;
  // Spaces at the ends were encoded on purpose: keep them.
  return sanitize(decodeHeaderValue(raw), max);
}

/** The `signalbox-replay-*` markers, whoever wrote the rest of the message. */
export function readReplay(input: DialectInput): DeadLetterReplay | null {
  const get = ourValues(input);
  const id = decoded(get, REPLAY_HEADERS.id, 128);
  if (id === null) return null;
  return { id, count: count(get(REPLAY_HEADERS.count)) ?? 1 };
}

export const signalboxDialect: DialectReader = {
  dialect: 'signalbox',
  read(input) {
    const get = ourValues(input);
    const present =
      Object.values(DLQ_HEADERS).some((name) => get(name) !== undefined) ||
      input.headers.namesWithPrefix(DLQ_HEADER_PREFIX).length > 0;
    if (!present) return null;
    const offset = decoded(get, DLQ_HEADERS.originalOffset, 64);
    return {
      reason: decoded(get, DLQ_HEADERS.reason),
      errorType: decoded(get, DLQ_HEADERS.errorType),
      errorMessage: decoded(get, DLQ_HEADERS.errorMessage, PARSE_LIMITS.errorMessage),
      stackTrace: decoded(get, DLQ_HEADERS.errorStack, PARSE_LIMITS.stackTrace),
      source: {
        system: normaliseSystem(decoded(get, DLQ_HEADERS.originalSystem, 64)),
        destination: decoded(get, DLQ_HEADERS.originalDestination),
        partition: count(get(DLQ_HEADERS.originalPartition)),
        // Kafka offsets and JetStream sequences are integers, Redis entry ids are `ms-seq`.
        offset: offset === null ? null : (int64(offset) ?? offset),
        messageId: decoded(get, DLQ_HEADERS.originalMessageId),
        consumerGroup: decoded(get, DLQ_HEADERS.originalConsumerGroup),
      },
      attempts: count(get(DLQ_HEADERS.attempts)),
      firstFailedAt: time(decoded(get, DLQ_HEADERS.firstFailedAt, 64)),
      lastFailedAt: time(decoded(get, DLQ_HEADERS.lastFailedAt, 64)),
      traceparent: traceparent(decoded(get, DLQ_HEADERS.originalTraceparent, 128)),
      details: {
        'signalbox.version': decoded(get, DLQ_HEADERS.version, 16),
        'signalbox.dlq_id': decoded(get, DLQ_HEADERS.id, 128),
      },
    };
  },
};
