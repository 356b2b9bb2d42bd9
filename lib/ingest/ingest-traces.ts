import { type MessagingSpan, toMessagingSpan } from './messaging-span';
import type { DecodedSpan } from './model';
import type { OtlpEncoding } from './otlp-encoding';
import { decodeTracesJson } from './otlp-json';
import { decodeTracesProtobuf } from './otlp-proto';

export function decodeTraces(body: Uint8Array, encoding: OtlpEncoding): DecodedSpan[] {
  return encoding === 'protobuf'
    ? decodeTracesProtobuf(body)
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
