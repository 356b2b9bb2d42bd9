import type { TelemetryStore } from '@/lib/store/types';
import { decodeContentEncoding, readBody } from './http-body';
import { type MessagingSpan, toMessagingSpan } from './messaging-span';
import type { DecodedSpan } from './model';
import { type OtlpEncoding } from './otlp-encoding';
import { decodeTracesJson } from './otlp-json';
import { decodeTracesProtobuf } from './otlp-proto';

export interface IngestResult {
  /** Messaging spans now durable in the store. */
  stored: number;
  /** Spans without messaging.system (HTTP, DB, ...): accepted and not kept, by design. */
  ignored: number;
}

export function decodeTraces(body: Uint8Array, encoding: OtlpEncoding): DecodedSpan[] {
  return encoding === 'protobuf'
    ? decodeTracesProtobuf(body)
    : decodeTracesJson(Buffer.from(body).toString('utf8'));
}

/**
 * One OTLP trace export: read (bounded), decompress (bounded), decode and
 * validate the whole body, keep the messaging spans, and resolve only once
 * they are durable. Any malformed part rejects the whole request before
 * anything is written, so a 2xx always means "all of it is stored".
 */
export async function ingestTraces(
  request: Request,
  encoding: OtlpEncoding,
  store: TelemetryStore,
  maxBodyBytes: number,
): Promise<IngestResult> {
  const raw = await readBody(request, maxBodyBytes);
  const body = await decodeContentEncoding(raw, request.headers.get('content-encoding'), maxBodyBytes);
  const decoded = decodeTraces(body, encoding);
  const messaging: MessagingSpan[] = [];
  for (const span of decoded) {
    const row = toMessagingSpan(span);
    if (row) messaging.push(row);
  }
  await store.appendSpans(messaging);
  return { stored: messaging.length, ignored: decoded.length - messaging.length };
}
