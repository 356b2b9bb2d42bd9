import type { MessagingSpan } from '@/lib/model/span';
import type { DecodedSpan } from '@/lib/model/telemetry';
import { MESSAGING_ATTRIBUTES } from './messaging-attribute-keys';
import { toMessagingSpan } from './messaging-span';
import type { OtlpEncoding } from './otlp-encoding';
import { decodeTracesJson } from './otlp-json';
import { decodeTracesProtobuf } from './otlp-proto';

/**
 * Decodes an export for ingest: from protobuf, only the attributes the
 * messaging mapping reads become JS values (the rest is stored as raw bytes).
 */
export function decodeTraces(body: Uint8Array, encoding: OtlpEncoding): DecodedSpan[] {
  return encoding === 'protobuf'
    ? decodeTracesProtobuf(body, MESSAGING_ATTRIBUTES)
    : decodeTracesJson(Buffer.from(body).toString('utf8'));
}

/**
 * The messaging spans of a decoded export. Spans without messaging.system
 * (HTTP, DB, ...) are accepted and not kept, by design.
 */
export function messagingSpansOf(decoded: readonly DecodedSpan[]): MessagingSpan[] {
  const messaging: MessagingSpan[] = [];
  for (const span of decoded) {
    const row = toMessagingSpan(span);
    if (row) messaging.push(row);
  }
  return messaging;
}
